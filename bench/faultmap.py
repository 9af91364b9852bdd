#!/usr/bin/env python3
"""Page faults of one process start, by where they landed (bench/NOTES.md, round 10).

Usage:
  perf record -e page-faults -c 1 -d -o pf.data BINARY ARGS... >/dev/null
  python3 bench/faultmap.py pf.data BINARY

Each fault's data address is placed in the mapping perf recorded for it and, inside BINARY, in
its ELF section (build BINARY unstripped: CARGO_PROFILE_RELEASE_STRIP=false). Prints a count per
region, most first.
"""
import subprocess,re,sys
data=sys.argv[1]; elf=sys.argv[2]
out=subprocess.run(['perf','script','-i',data,'--show-mmap-events','-F','addr'],capture_output=True,text=True).stdout
maps=[];addrs=[]
for l in out.splitlines():
    m=re.search(r'MMAP2? .*\[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ (0x[0-9a-f]+|0) .*\]: (\S+) (.*)$',l)
    if m:
        maps.append((int(m.group(1),16),int(m.group(2),16),int(m.group(3),16),m.group(4),m.group(5).strip())); continue
    l=l.strip()
    if re.fullmatch(r'[0-9a-f]+',l): addrs.append(int(l,16))
secs=[]
for l in subprocess.run(['readelf','-SW',elf],capture_output=True,text=True).stdout.splitlines():
    m=re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)',l)
    if m and int(m.group(2),16): secs.append((m.group(1),int(m.group(2),16),int(m.group(4),16)))
binname=elf.split('/')[-1]
base=min(s for s,_,_,_,n in maps if n.endswith(binname))
from collections import Counter
c=Counter()
heap=None
for a in addrs:
    name=None
    for s,ln,off,perm,n in maps:
        if s<=a<s+ln: name=n.split('/')[-1]; break
    if name == binname:
        o=a-base
        for sn,sa,sz in secs:
            if sa<=o<sa+max(sz,1): name=binname+' '+sn; break
        else: name=binname+' (no section)'
    elif name is None:
        name='heap/other anon' if a<0x7f0000000000 else 'anon/unmapped'
    c[name]+=1
for k,v in c.most_common(): print(v,k)
print(sum(c.values()),'total')
