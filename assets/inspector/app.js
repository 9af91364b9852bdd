// cbkit inspector. Every request is attacker-controlled: request data only ever reaches the
// page through textContent, never as HTML.
'use strict';

(function () {
  const TOKEN = document.querySelector('meta[name="cbkit-token"]').content;
  // Rows drawn at most; the list keeps every remembered request, the table the newest of them.
  const MAX_ROWS = 500;

  const all = [];             // summaries, oldest first; at most `keep`, as the listener
  let keep = 1000;
  const byId = new Map();
  let pending = [];           // arrived, not drawn yet (drawn once per animation frame)
  let frame = 0;
  let selected = null;        // id of the highlighted row
  let opened = null;          // id of the request shown in the detail pane
  let openedDetail = null;
  let lastId = 0;
  const vendors = new Set();
  const events = new Set();

  const $ = (id) => document.getElementById(id);

  function el(tag, props, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') e.textContent = v;
      else if (k === 'cls') e.className = v;
      else if (k === 'data') Object.assign(e.dataset, v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function time(at) {
    const t = (at || '').split('T')[1] || at || '';
    return t.replace('Z', '');
  }

  function mark(v) {
    return v === true ? '✓' : v === false ? '✗' : '·';
  }

  function badge(label, v, title) {
    const cls = v === true ? 'b ok' : v === false ? 'b bad' : 'b none';
    return el('span', { cls, title: title + ': ' + (v === true ? 'passed' : v === false ? 'failed' : 'not checked') }, [mark(v) + ' ' + label]);
  }

  function verdictCell(r) {
    const td = el('td', { cls: 'verdict' });
    td.appendChild(badge('sig', r.verified, 'signature'));
    td.appendChild(badge('dec', r.decrypted, 'decrypted'));
    td.appendChild(badge('ids', r.ids, 'receiver id / SdkAppid / token'));
    td.appendChild(badge('fresh', r.fresh, 'timestamp freshness'));
    if (r.replay_attack) td.appendChild(el('span', { cls: 'b bad', title: 'already answered: possible replay attack' }, ['replay!']));
    if (r.unverified) td.appendChild(el('span', { cls: 'b warn', title: 'a secret is not configured' }, ['unverified']));
    return td;
  }

  // The app's answer and the vendor's judgement of it (with --forward-to).
  function appCell(r) {
    if (!r.forward) return el('td', { cls: 'app muted', text: '—' });
    $('list').classList.remove('no-app');
    const f = r.forward;
    const text = (f.status == null ? 'no answer' : String(f.status)) + ' ' + (f.accepted ? '✓' : '✗');
    return el('td', { cls: 'app ' + (f.accepted ? 'ok' : 'bad'), title: f.reason || 'the vendor accepts this answer', text });
  }

  function row(r) {
    const tr = el('tr', { cls: 'row ' + (r.accepted ? 'accepted' : 'failed'), data: { id: String(r.id) }, tabindex: '-1' });
    tr.appendChild(el('td', { cls: 'muted', text: String(r.id) }));
    tr.appendChild(el('td', { cls: 'mono', text: time(r.received_at) }));
    tr.appendChild(el('td', { text: r.vendor_title || 'unknown' }));
    tr.appendChild(el('td', { cls: 'mono path', title: r.target, text: r.method + ' ' + r.path }));
    const event = r.event_type || (r.kind === 'handshake' ? '(URL verification)' : '');
    tr.appendChild(el('td', { cls: 'event', title: event, text: event }));
    tr.appendChild(verdictCell(r));
    tr.appendChild(el('td', { cls: 'mono ' + (r.status >= 200 && r.status < 300 ? 'ok' : 'bad'), text: r.status == null ? '—' : String(r.status) }));
    tr.appendChild(el('td', { cls: 'mono num', text: r.latency_ms == null ? '' : r.latency_ms.toFixed(1) + ' ms' }));
    tr.appendChild(appCell(r));
    tr.addEventListener('click', () => { select(r.id); open(r.id); });
    return tr;
  }

  function matches(r) {
    const v = $('f-vendor').value, verdict = $('f-verdict').value, ev = $('f-event').value;
    const q = $('f-search').value.trim().toLowerCase();
    if (v && r.vendor !== v) return false;
    if (ev && r.event_type !== ev) return false;
    if (verdict === 'ok' && !r.accepted) return false;
    if (verdict === 'failed' && r.accepted) return false;
    if (verdict === 'replay' && !r.replay_attack) return false;
    if (verdict === 'app' && !(r.forward && !r.forward.accepted)) return false;
    if (q) {
      const hay = [r.id, r.vendor, r.method, r.target, r.event_type, r.status].join(' ').toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  }

  function addOption(select, set, value, label) {
    if (!value || set.has(value)) return;
    set.add(value);
    select.appendChild(el('option', { value, text: label || value }));
  }

  function remember(r) {
    if (byId.has(r.id)) return false;
    all.push(r);
    byId.set(r.id, r);
    // The listener has forgotten older ones too: a page left open stays small.
    while (all.length > keep) byId.delete(all.shift().id);
    lastId = Math.max(lastId, r.id);
    addOption($('f-vendor'), vendors, r.vendor, r.vendor_title);
    addOption($('f-event'), events, r.event_type);
    return true;
  }

  // Newest first; the whole table is redrawn only when filters change.
  function redraw() {
    const body = $('rows');
    clear(body);
    const shown = all.filter(matches);
    const newest = shown.slice(-MAX_ROWS).reverse();
    const frag = document.createDocumentFragment();
    for (const r of newest) frag.appendChild(row(r));
    body.appendChild(frag);
    status(shown.length);
    highlight();
  }

  function status(shown) {
    $('count').textContent = all.length + ' request' + (all.length === 1 ? '' : 's') + (shown !== all.length ? ' (' + shown + ' shown)' : '');
    $('empty').hidden = all.length > 0;
    const capped = $('capped');
    capped.hidden = shown <= MAX_ROWS;
    capped.textContent = 'Showing the newest ' + MAX_ROWS + ' of ' + shown + '; narrow the filters to see others.';
  }

  // Rows that arrived since the last frame, drawn at once on top of the table.
  function flush() {
    frame = 0;
    const body = $('rows');
    const frag = document.createDocumentFragment();
    for (const r of pending) {
      if (remember(r) && matches(r)) frag.insertBefore(row(r), frag.firstChild);
    }
    pending = [];
    body.insertBefore(frag, body.firstChild);
    while (body.children.length > Math.min(MAX_ROWS, keep)) body.removeChild(body.lastChild);
    status(all.filter(matches).length);
    highlight();
  }

  function arrive(r) {
    pending.push(r);
    if (!frame) frame = requestAnimationFrame(flush);
  }

  function rowsShown() {
    return Array.from($('rows').children);
  }

  function highlight() {
    for (const tr of rowsShown()) tr.classList.toggle('selected', Number(tr.dataset.id) === selected);
  }

  function select(id) {
    selected = id;
    highlight();
    const tr = rowsShown().find((t) => Number(t.dataset.id) === id);
    if (tr) tr.scrollIntoView({ block: 'nearest' });
  }

  function move(delta) {
    const list = rowsShown();
    if (!list.length) return;
    let i = list.findIndex((t) => Number(t.dataset.id) === selected);
    i = i < 0 ? 0 : Math.min(list.length - 1, Math.max(0, i + delta));
    select(Number(list[i].dataset.id));
  }

  function kv(list, pairs) {
    clear(list);
    for (const [k, v, ok] of pairs) {
      const li = el('li', {}, [el('span', { cls: 'k', text: k }), el('span', { cls: 'v' + (ok === true ? ' ok' : ok === false ? ' bad' : ''), text: v })]);
      list.appendChild(li);
    }
  }

  function table(t, pairs, caption) {
    clear(t);
    if (!pairs.length) return;
    t.appendChild(el('caption', { text: caption }));
    for (const [k, v] of pairs) t.appendChild(el('tr', {}, [el('th', { text: k }), el('td', { text: v })]));
  }

  function renderBody(d) {
    const pretty = $('pretty').checked && d.request.body_pretty;
    $('d-body').textContent = pretty ? d.request.body_pretty : (d.request.body_base64 ? 'base64: ' + d.request.body : d.request.body);
  }

  function renderDetail(d) {
    openedDetail = d;
    $('detail').hidden = false;
    $('d-title').textContent = '#' + d.id + ' ' + (d.vendor_title || 'unknown vendor') + ' ' + (d.event_type || d.method + ' ' + d.path);
    const pairs = [['accepted', d.accepted ? 'yes' : 'no', d.accepted]];
    for (const c of d.checks) pairs.push([c.name, c.ok ? 'ok' : (c.note || 'expected ' + c.expected + ', got ' + c.got), c.ok]);
    if (!d.checks.length) for (const [k, v] of Object.entries(d.verdict)) if (k !== 'accepted') pairs.push([k, v ? 'ok' : 'failed', v]);
    if (d.unverified_reason) pairs.push(['not verified', d.unverified_reason, null]);
    for (const e of d.error_list) pairs.push(['error', e, false]);
    if (d.note) pairs.push(['note', d.note, null]);
    kv($('d-verdict'), pairs);

    const steps = $('steps');
    clear(steps);
    const ex = d.explain || {};
    $('d-algorithm').textContent = ex.algorithm ? '— ' + ex.algorithm : '';
    if (ex.error) steps.appendChild(el('li', { cls: 'step', text: ex.error }));
    for (const s of ex.steps || []) {
      steps.appendChild(el('li', { cls: 'step ' + (s.ok === true ? 'ok' : s.ok === false ? 'bad' : 'info') }, [
        el('span', { cls: 'mark', text: mark(s.ok) }),
        el('span', { cls: 'name', text: s.name }),
        el('span', { cls: 'detail mono', text: s.detail }),
      ]));
    }
    const mistake = $('d-mistake');
    if (ex.mistake) {
      mistake.hidden = false;
      mistake.textContent = 'diagnosis: ' + ex.mistake.what + ' — fix: ' + ex.mistake.fix;
    } else if (ex.conclusion) {
      mistake.hidden = false;
      mistake.textContent = ex.conclusion;
    } else mistake.hidden = true;

    $('plaintext').textContent = d.plaintext == null ? '(not decrypted)' : d.plaintext;
    const a = [['status answered', d.answer.status == null ? '—' : String(d.answer.status), d.answer.status >= 200 && d.answer.status < 300]];
    if (d.latency_ms != null) a.push(['latency', d.latency_ms.toFixed(2) + ' ms', null]);
    if (d.answer.body != null) a.push(['body sent', d.answer.body_pretty || d.answer.body, null]);
    const f = d.answer.forward;
    if (f) {
      a.push(["your app's status", f.status == null ? 'no answer' : String(f.status), f.status != null]);
      a.push(["vendor's judgement", f.accepted ? 'accepted' : (f.reason || 'rejected'), f.accepted]);
      if (f.body != null) a.push(["your app's answer", f.body, null]);
    }
    kv($('d-answer'), a);

    $('d-line').textContent = d.request.line;
    table($('d-headers'), d.request.headers, 'headers');
    table($('d-query'), d.request.query_pairs, 'query');
    renderBody(d);
    $('d-curl').textContent = d.curl;
    $('d-verify').textContent = d.verify_command || '';
    $('copy-verify').disabled = !d.verify_command;
    $('replay').disabled = !(d.replay.listener || d.replay.forward);
    $('replay').title = $('replay').disabled ? 'nowhere to send it (cbkit inspect: pass --to URL)' : 'send it again';
    const to = $('replay-to');
    to.options[0].disabled = !d.replay.listener;
    to.options[1].disabled = !d.replay.forward;
    if (to.selectedOptions[0] && to.selectedOptions[0].disabled) to.value = d.replay.listener ? 'listener' : 'forward';
    $('replay-result').hidden = true;
    $('copied').textContent = '';
  }

  async function open(id) {
    opened = id;
    const r = await fetch('api/requests/' + id);
    if (!r.ok) {
      $('detail').hidden = false;
      $('d-title').textContent = '#' + id + ' is no longer remembered';
      return;
    }
    const d = await r.json();
    if (opened === id) renderDetail(d);
  }

  function close() {
    opened = null;
    $('detail').hidden = true;
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      $('copied').textContent = 'copied';
    } catch (e) {
      $('copied').textContent = 'copy it from the Commands section below';
    }
  }

  // The server builds the file (secrets as templates); the page only hands it to the browser.
  async function saveFixture() {
    if (!openedDetail) return;
    const r = await fetch('api/requests/' + openedDetail.id + '/fixture');
    if (!r.ok) {
      $('copied').textContent = (await r.text()).trim();
      return;
    }
    const name = (r.headers.get('Content-Disposition') || '').match(/filename="([^"]*)"/);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await r.blob());
    a.download = name ? name[1] : 'fixture.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    $('copied').textContent = 'saved ' + a.download + ': put it under fixtures/VENDOR/ and replay it';
  }

  async function replay() {
    if (!openedDetail) return;
    const id = openedDetail.id;
    const out = $('replay-result');
    out.hidden = false;
    clear(out);
    out.appendChild(el('span', { cls: 'muted', text: 'sending…' }));
    let v;
    try {
      const r = await fetch('api/replay', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Cbkit-Token': TOKEN },
        body: JSON.stringify({ id, mode: $('replay-mode').value, to: $('replay-to').value }),
      });
      v = await r.json();
      if (!r.ok) throw new Error(v.error || r.status);
    } catch (e) {
      clear(out);
      out.appendChild(el('span', { cls: 'bad', text: 'replay failed: ' + e.message }));
      return;
    }
    clear(out);
    const now = (v.status == null ? 'no answer' : v.status) + ' ' + (v.accepted ? '✓ accepted' : '✗ ' + v.reason);
    const was = (v.was.status == null ? '—' : v.was.status) + ' ' + (v.was.accepted ? '✓ accepted' : '✗ failed');
    out.appendChild(el('div', { cls: 'cols' }, [
      el('div', {}, [el('div', { cls: 'k', text: 'before (#' + id + ')' }), el('div', { cls: v.was.accepted ? 'ok' : 'bad', text: was })]),
      el('div', { id: 'replay-now' }, [el('div', { cls: 'k', text: 'replay (' + v.mode + ', to ' + v.to + ', ' + v.latency_ms.toFixed(1) + ' ms)' }), el('div', { cls: v.accepted ? 'ok' : 'bad', text: now })]),
    ]));
    if (v.new_id != null) {
      const b = el('button', { type: 'button', id: 'open-new', text: 'open #' + v.new_id });
      b.addEventListener('click', () => { select(v.new_id); open(v.new_id); });
      out.appendChild(b);
    }
  }

  function connect() {
    const es = new EventSource('api/events?after=' + lastId);
    es.onopen = () => { $('live').textContent = 'live'; $('live').className = 'live on'; };
    es.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'live off'; };
    es.addEventListener('request', (m) => {
      try { arrive(JSON.parse(m.data)); } catch (e) { /* a malformed event is skipped */ }
    });
  }

  async function start() {
    try {
      const r = await fetch('api/requests');
      const list = await r.json();
      keep = Math.max(1, list.keep || keep);
      for (const s of list.requests) remember(s);
      lastId = Math.max(lastId, list.last_id || 0);
    } catch (e) { /* the stream still brings new ones */ }
    redraw();
    connect();
  }

  for (const id of ['f-vendor', 'f-verdict', 'f-event']) $(id).addEventListener('change', redraw);
  $('f-search').addEventListener('input', redraw);
  $('close').addEventListener('click', close);
  $('copy-curl').addEventListener('click', () => openedDetail && copy(openedDetail.curl));
  $('copy-verify').addEventListener('click', () => openedDetail && openedDetail.verify_command && copy(openedDetail.verify_command));
  $('replay').addEventListener('click', replay);
  $('save-fixture').addEventListener('click', saveFixture);
  $('pretty').addEventListener('change', () => openedDetail && renderBody(openedDetail));
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === 'Escape') { if (typing) e.target.blur(); else close(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j') { move(1); e.preventDefault(); }
    else if (e.key === 'k') { move(-1); e.preventDefault(); }
    else if (e.key === 'Enter' && selected != null) { open(selected); e.preventDefault(); }
    else if (e.key === '/') { $('f-search').focus(); e.preventDefault(); }
  });
  start();
})();
