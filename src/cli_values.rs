//! Value parsers of the command-line model that are more than a list.

/// Fixture names for completion; any other text (a file, a directory) is accepted as is.
#[derive(Clone)]
pub struct FixtureNameParser;

impl clap::builder::TypedValueParser for FixtureNameParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let names = cbkit::fixture::bundled()
            .into_iter()
            .map(|f| clap::builder::PossibleValue::new(f.name));
        // `all` and every vendor (all its fixtures), from the id table.
        let groups = std::iter::once("all")
            .chain(cbkit::protocol::id::TABLE.iter().map(|e| e.name))
            .map(clap::builder::PossibleValue::new);
        Some(Box::new(groups.chain(names)))
    }
}

/// `-H 'Name: value'` (curl's and xh's spelling; `Name:` removes a header, `Name;` sends it
/// empty). clap names the flag in the error.
pub fn parse_header(s: &str) -> Result<cbkit::client::HeaderEdit, String> {
    cbkit::client::HeaderEdit::parse("header", s).map_err(|e| match e {
        cbkit::Error::Malformed { detail, .. } => detail,
        other => other.to_string(),
    })
}
