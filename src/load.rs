//! Load mode of `replay`: every delivery sent `count` times, `concurrency` at a time, without
//! retries; accepted latencies and rejection reasons are collected for a summary.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::delivery::Delivery;
use crate::fixture::{EnvLookup, Vars};
use crate::protocol::Now;
use crate::replay::Sender;

/// What to send and how hard.
pub struct LoadPlan<'a> {
    pub deliveries: &'a [Delivery],
    /// Deliveries of each item.
    pub count: u64,
    /// Deliveries in flight at once (at least one).
    pub concurrency: usize,
    /// The deadline for every delivery; None: each vendor's own.
    pub timeout: Option<Duration>,
    /// `path=value` overrides applied to each fresh rendering.
    pub sets: &'a [String],
    /// Where `{{env.NAME}}` in a fixture gets its value.
    pub env: EnvLookup,
}

/// What a load run came to.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport {
    pub sent: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub elapsed: Duration,
    /// Latencies of the accepted deliveries, shortest first.
    pub latencies: Vec<Duration>,
    /// Rejection reason → how many deliveries it rejected.
    pub rejections: BTreeMap<String, u64>,
}

impl LoadReport {
    /// The `p` quantile (0..=1) of accepted latencies in ms; 0 when none was accepted.
    pub fn latency_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.latencies, p)
    }

    /// Accepted deliveries per second of the whole run.
    pub fn accepted_per_sec(&self) -> f64 {
        self.accepted as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The nearest-rank `p` quantile (0..=1) of `sorted` (shortest first), in ms rounded to the
/// microsecond; 0 for no values.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    (sorted[rank - 1].as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// Send every delivery of the plan from `concurrency` threads and collect the outcomes. `now`
/// stamps each delivery (fresh fixtures, fresh signatures).
pub fn run(plan: &LoadPlan, sender: &Sender, now: &(dyn Fn() -> Now + Sync)) -> LoadReport {
    let ds = plan.deliveries;
    let total = plan.count * ds.len() as u64;
    let next = AtomicU64::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total as usize));
    let rejections: Mutex<BTreeMap<String, u64>> = Mutex::default();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..plan.concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let d = &ds[(i % ds.len() as u64) as usize];
                    // Fresh ids for every delivery: render the fixture again.
                    let vars = Vars {
                        now: now(),
                        secrets: sender.secrets.clone(),
                        env: plan.env,
                    };
                    let plaintext = d.fresh_plaintext(&vars, plan.sets);
                    let deadline = plan
                        .timeout
                        .unwrap_or_else(|| d.vendor.vendor().deadline(d.kind, &plaintext));
                    let o = d.send(sender, &plaintext, deadline, now());
                    if o.accepted {
                        latencies
                            .lock()
                            .expect("no panics while held")
                            .push(o.latency);
                    } else {
                        *rejections
                            .lock()
                            .expect("no panics while held")
                            .entry(o.reason)
                            .or_default() += 1;
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let mut latencies = latencies.into_inner().expect("threads joined");
    latencies.sort();
    let accepted = latencies.len() as u64;
    LoadReport {
        sent: total,
        accepted,
        rejected: total - accepted,
        elapsed,
        latencies,
        rejections: rejections.into_inner().expect("threads joined"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(list: &[u64]) -> Vec<Duration> {
        list.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn no_values_is_zero() {
        assert_eq!(percentile_ms(&[], 0.5), 0.0);
        assert_eq!(percentile_ms(&[], 0.99), 0.0);
    }

    #[test]
    fn one_value_is_every_percentile() {
        let one = ms(&[7]);
        for p in [0.0, 0.5, 0.95, 0.99, 1.0] {
            assert_eq!(percentile_ms(&one, p), 7.0);
        }
    }

    #[test]
    fn nearest_rank_over_a_hundred() {
        let v = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile_ms(&v, 0.5), 50.0);
        assert_eq!(percentile_ms(&v, 0.95), 95.0);
        assert_eq!(percentile_ms(&v, 0.99), 99.0);
        assert_eq!(percentile_ms(&v, 1.0), 100.0);
        assert_eq!(percentile_ms(&v, 0.0), 1.0);
    }

    #[test]
    fn small_samples_round_up_to_the_next_rank() {
        // 10 values: p95 is rank ceil(9.5) = 10, p50 rank 5.
        let v = ms(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(percentile_ms(&v, 0.5), 5.0);
        assert_eq!(percentile_ms(&v, 0.95), 10.0);
        assert_eq!(percentile_ms(&v, 0.51), 6.0);
    }

    #[test]
    fn rounds_to_the_microsecond() {
        let v = vec![Duration::from_nanos(1_234_567)];
        assert_eq!(percentile_ms(&v, 0.5), 1.235);
    }

    #[test]
    fn report_rates() {
        let r = LoadReport {
            sent: 4,
            accepted: 3,
            rejected: 1,
            elapsed: Duration::from_millis(500),
            latencies: ms(&[1, 2, 3]),
            rejections: BTreeMap::from([("HTTP 500".to_string(), 1)]),
        };
        assert_eq!(r.accepted_per_sec(), 6.0);
        assert_eq!(r.latency_ms(0.5), 2.0);
    }
}
