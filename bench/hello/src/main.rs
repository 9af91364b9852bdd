//! A Rust program that only starts, prints one line through std's locked stdout and exits:
//! what `cbkit --version` would cost if cbkit did nothing else.

fn main() {
    println!("hello");
}
