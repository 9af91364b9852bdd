//! The live line `replay` shows on a terminal while it waits for the next attempt: a spinner,
//! the time left in vendor time and a bar of the wait elapsed, redrawn in place on stderr.
//!
//! Drawn here rather than with a progress-bar crate: indicatif, for this one line, linked libm
//! into every cbkit run (its rate estimator calls `pow`), and loading it was 70 µs of each
//! command's start-up.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Cells of the bar: with the text, the line fits an 80-column terminal.
const BAR: usize = 24;
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(50);

/// Wait `wait` (real time) before attempt `n`, showing the countdown on stderr when it is a
/// terminal; `scale` turns real time into vendor time. Returns early, line cleared, when
/// `stop` is raised; the last few ms are left to the caller's precise clock.
pub fn wait_for_attempt(n: u32, wait: Duration, scale: f64, stop: &AtomicBool) {
    let start = Instant::now();
    let mut err = std::io::stderr();
    let shown = err.is_terminal();
    let mut tick = 0;
    while start.elapsed() + Duration::from_millis(20) < wait && !stop.load(Ordering::SeqCst) {
        if shown {
            let elapsed = start.elapsed();
            let left = (wait - elapsed).div_f64(scale);
            let line = line(n, left, elapsed.as_secs_f64() / wait.as_secs_f64(), tick);
            let _ = write!(err, "\r{line}\x1b[K");
            let _ = err.flush();
        }
        tick += 1;
        std::thread::sleep(
            TICK.min(wait.saturating_sub(start.elapsed() + Duration::from_millis(15))),
        );
    }
    if shown {
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
}

/// `  ⠋ attempt #2 in 2m59.1s (vendor time) [#####-------------------]`
fn line(n: u32, left: Duration, done: f64, tick: usize) -> String {
    let filled = ((done.clamp(0.0, 1.0) * BAR as f64) as usize).min(BAR);
    format!(
        "  {} attempt #{n} in {} (vendor time) [{}{}]",
        SPINNER[tick % SPINNER.len()],
        super::replay::fmt_offset(left),
        "#".repeat(filled),
        "-".repeat(BAR - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_the_attempt_the_time_left_and_the_share_waited() {
        assert_eq!(
            line(2, Duration::from_millis(179_100), 0.5, 0),
            "  ⠋ attempt #2 in 2m59.1s (vendor time) [############------------]"
        );
        assert_eq!(
            line(4, Duration::from_secs(3), 0.0, 11),
            "  ⠙ attempt #4 in 3.0s (vendor time) [------------------------]"
        );
        // Past the end, or a clock going backwards, stays inside the bar.
        assert!(line(3, Duration::ZERO, 1.7, 0).ends_with(&format!("[{}]", "#".repeat(BAR))));
        assert!(line(3, Duration::ZERO, -1.0, 0).ends_with(&format!("[{}]", "-".repeat(BAR))));
    }

    #[test]
    fn the_line_fits_an_80_column_terminal() {
        let longest = line(u32::MAX, Duration::from_secs(99 * 3600), 0.5, 0);
        assert!(longest.chars().count() <= 80, "{longest}");
    }

    #[test]
    fn a_raised_stop_ends_the_wait_at_once() {
        let stop = AtomicBool::new(true);
        let start = Instant::now();
        wait_for_attempt(2, Duration::from_secs(30), 1.0, &stop);
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
