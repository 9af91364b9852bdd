//! Building only the part of the clap model a run needs: [`Deferred`], a subcommand whose
//! arguments clap builds only when that subcommand runs, and [`Selected`] with [`command_for`],
//! a model holding only the subcommand a run names.
//!
//! Building the whole command model (every subcommand's arguments and their help text) was
//! most of what `cbkit sign` did at start-up; a run needs only its own subcommand's. The
//! subcommand's name, about and examples stay eager (the top-level help, suggestions and the
//! help tests read them), and its arguments are added by clap's `Command::defer` when clap
//! builds it: for the subcommand that runs, or for every one when the help, the completions or
//! the man page walk the whole tree. Built either way, the subcommand is the same `Command`
//! (same arguments, same order, same about), so help, completions and man stay byte-identical.

use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::ops::{Deref, DerefMut};

use clap::builder::Resettable;
use clap::{Arg, ArgMatches, Args, Command, CommandFactory, FromArgMatches, Id, Subcommand};

/// The arguments `T` of one subcommand, added to it only when clap builds that subcommand.
#[derive(Clone, PartialEq, Eq)]
pub struct Deferred<T>(pub T);

impl<T> Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Deferred<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        cmd.defer(add_args::<T>)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        T::augment_args_for_update(cmd)
    }
}

/// The subcommands `T` of a subcommand (`cbkit fixtures list`), added to it only when clap
/// builds it, in the stubs [`command_for`] picks one from: `cbkit sign` has no use for
/// `fixtures`' own subcommands and their arguments. The whole model adds them at once: clap
/// copies the tree into its `help` subcommand (`cbkit help fixtures list`, the completions)
/// before it builds any subcommand.
impl<T: Subcommand> Subcommand for Deferred<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        if PICKING.get() {
            cmd.defer(T::augment_subcommands)
        } else {
            T::augment_subcommands(cmd)
        }
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        T::augment_subcommands_for_update(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

/// Add `T`'s arguments to a subcommand clap is building, leaving it as the eager model would
/// have been: clap runs this after the parent has copied its global options in (the eager
/// model has them after the subcommand's own, which decides the completions' and the man
/// page's order), and flattened argument structs set the subcommand's about from their doc
/// comments (the eager model sets the variant's own about after them).
fn add_args<T: Args>(cmd: Command) -> Command {
    add_args_with(cmd, T::augment_args)
}

/// [`add_args`]'s work, written once rather than once per subcommand: each copy of it was
/// 10-20 KB of code.
fn add_args_with(cmd: Command, augment_args: fn(Command) -> Command) -> Command {
    let inherited: Vec<Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = super::adjust_subcommand(augment_args(cmd))
        .about(about.map_or(Resettable::Reset, Resettable::Value))
        .long_about(long_about.map_or(Resettable::Reset, Resettable::Value));
    // The inherited ones after the subcommand's own, in two in-place passes: `mut_arg` (take one
    // out, put it back at the end) shifted the whole list once per global option, and those
    // copies were a tenth of `cbkit sign`'s instructions.
    let mut args = Vec::with_capacity(cmd.get_arguments().count());
    let cmd = cmd.mut_args(|a| {
        args.push(a);
        Arg::default()
    });
    let (inherited, own): (Vec<Arg>, Vec<Arg>) = args
        .into_iter()
        .partition(|a| inherited.contains(a.get_id()));
    let mut reordered = own.into_iter().chain(inherited);
    cmd.mut_args(|_| reordered.next().unwrap_or_default())
}

/// The subcommands `E`, all of them or only the one a run names (see [`command_for`]). clap
/// copies every global option into every subcommand the model holds when it parses, and a
/// run needs one: `cbkit sign` spent more on copies for the other subcommands than on signing.
#[derive(Clone, PartialEq, Eq)]
pub struct Selected<E>(pub E);

impl<E> Deref for Selected<E> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.0
    }
}

impl<E> DerefMut for Selected<E> {
    fn deref_mut(&mut self) -> &mut E {
        &mut self.0
    }
}

impl<E: std::fmt::Debug> std::fmt::Debug for Selected<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<E: FromArgMatches> FromArgMatches for Selected<E> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        E::from_arg_matches(matches).map(Selected)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        E::from_arg_matches_mut(matches).map(Selected)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

thread_local! {
    /// The one subcommand [`command_for`] is building the model for, while it does.
    static ONLY: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while the stubs that subcommand is picked from are made.
    static PICKING: Cell<bool> = const { Cell::new(false) };
}

impl<E: Subcommand> Subcommand for Selected<E> {
    fn augment_subcommands(cmd: Command) -> Command {
        let Some(name) = ONLY.with(|only| only.borrow().clone()) else {
            return E::augment_subcommands(cmd);
        };
        // The stubs are cheap to make (their arguments are `Deferred`); only one is kept.
        PICKING.set(true);
        let all = E::augment_subcommands(Command::new("all"));
        PICKING.set(false);
        match all.find_subcommand(&name) {
            Some(sub) => cmd.subcommand(sub.clone()),
            None => E::augment_subcommands(cmd),
        }
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        E::augment_subcommands_for_update(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        E::has_subcommand(name)
    }
}

/// The clap model to parse `args` (the program name first) with: the whole of it, or, when
/// every argument before the subcommand's name is a global option, the model holding only that
/// subcommand. It parses those arguments as the whole model does, with the same help and
/// errors: nothing in them can reach another subcommand (`cbkit --help sign` and
/// `cbkit help sign` get the whole model, as does anything this does not recognise).
pub fn command_for(args: &[OsString]) -> Command {
    let only = subcommand_run(args).map(str::to_owned);
    ONLY.with(|o| *o.borrow_mut() = only);
    let cmd = super::Cli::command();
    ONLY.with(|o| *o.borrow_mut() = None);
    cmd
}

/// The subcommand name `args` runs, when all the arguments before it are global options.
fn subcommand_run(args: &[OsString]) -> Option<&str> {
    let globals = super::GlobalArgs::augment_args(Command::new("globals"));
    let long = |name: &str| {
        globals.get_arguments().find(|a| {
            a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
        })
    };
    let flag_without_value = |c: char| {
        globals
            .get_arguments()
            .any(|a| a.get_short() == Some(c) && !a.get_action().takes_values())
    };
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        if let Some(flag) = arg.strip_prefix("--") {
            let (name, inline_value) = match flag.split_once('=') {
                Some((name, _)) => (name, true),
                None => (flag, false),
            };
            let takes_value = long(name)?.get_action().takes_values();
            if takes_value && !inline_value {
                rest.next()?;
            } else if !takes_value && inline_value {
                return None;
            }
        } else if let Some(shorts) = arg.strip_prefix('-') {
            if shorts.is_empty() || !shorts.chars().all(flag_without_value) {
                return None;
            }
        } else {
            return Some(arg);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::Cli;
    use super::*;

    fn argv(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_subcommand_run_is_found_after_global_options_only() {
        let found = |line: &str| subcommand_run(&argv(line)).map(str::to_owned);
        assert_eq!(found("cbkit sign wemeet").as_deref(), Some("sign"));
        assert_eq!(
            found("cbkit --json --color never -qv --profile=p sign --x").as_deref(),
            Some("sign")
        );
        assert_eq!(
            found("cbkit --config f.toml listen").as_deref(),
            Some("listen")
        );
        for whole_model in [
            "cbkit",
            "cbkit --help sign",
            "cbkit -h sign",
            "cbkit -V",
            "cbkit --color",
            "cbkit --json=1 sign",
            "cbkit -- sign",
            "cbkit --jsn sign",
        ] {
            assert_eq!(found(whole_model), None, "{whole_model}");
        }
    }

    /// What `command_for` builds parses and fails exactly as the whole model does.
    #[test]
    fn the_model_for_one_subcommand_parses_as_the_whole_one() {
        let lines = [
            "cbkit sign wemeet --token T --timestamp 1 --nonce 2 --data eyJhIjoxfQ",
            "cbkit --json sign wemeet --token T --data eyJhIjoxfQ",
            "cbkit sign",
            "cbkit sign --help",
            "cbkit -q sign wemeet --tokn T",
            "cbkit --color bogus sign wemeet",
            "cbkit verify wemeet --token T --bogus",
            "cbkit listen --vendor dingtalk --port 0 -q",
            "cbkit fixtures show wemeet/meeting.created",
            "cbkit fixtures",
            "cbkit fixtures bogus",
            "cbkit fixtures list --help",
            "cbkit fixtures help show",
            "cbkit fixtures save",
            "cbkit config",
            "cbkit config show --bogus",
            "cbkit help fixtures list",
            "cbkit config show --json",
            "cbkit completions bash",
            "cbkit man",
            "cbkit sgin wemeet",
            "cbkit --help",
            "cbkit --version",
        ];
        for line in lines {
            let args = argv(line);
            let whole = Cli::command().try_get_matches_from(&args);
            let selected = command_for(&args).try_get_matches_from(&args);
            let render = |r: Result<clap::ArgMatches, clap::Error>| match r {
                Ok(mut m) => format!(
                    "{:?}",
                    Cli::from_arg_matches_mut(&mut m).map_err(|e| e.to_string())
                ),
                Err(e) => format!("{:?} {}", e.kind(), e.render()),
            };
            assert_eq!(render(selected), render(whole), "{line}");
        }
    }

    /// Every subcommand, built with its arguments deferred, is the one built eagerly.
    #[test]
    fn deferred_subcommands_build_as_eager_ones_do() {
        let mut cmd = Cli::command();
        cmd.build();
        for sub in cmd.get_subcommands() {
            let ids: Vec<_> = sub
                .get_arguments()
                .map(|a| a.get_id().to_string())
                .collect();
            // Global options come last, after the subcommand's own arguments.
            if let Some(first_global) = ids.iter().position(|id| id == "json") {
                assert!(
                    ids[first_global..].iter().all(|id| matches!(
                        id.as_str(),
                        "json"
                            | "color"
                            | "show_secrets"
                            | "quiet"
                            | "verbose"
                            | "config"
                            | "profile"
                            | "help"
                    )),
                    "{}: {ids:?}",
                    sub.get_name()
                );
            }
        }
    }
}
