//! The one JSON object `--json` prints, built by serde from the reports.
//!
//! Every command prints an [`Envelope`]: `schema_version`, `ok`, `command`,
//! the report's own fields (serialized from the library's types, so JSON and
//! text cannot drift apart) and `error`: `null`, or on failure `{kind,
//! message}` with `kind` one of the exit-code table's names. Every key is
//! always present (`null` when there is nothing to say). The JSON Schema of
//! each command's object is generated from these types (`airlock generate
//! schema`) and committed in `docs/schema/`; a test keeps them equal.

use airlock::{CheckReport, Error, ErrorKind};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the `--json` contract: bumped when a key is removed or
/// renamed or its type or meaning changes (docs/guide.md, "The JSON contract"); adding a
/// key does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// `error` of a failed run.
#[derive(Serialize, JsonSchema)]
pub struct ErrorBody {
    /// The exit-code class (`usage`, `incomplete`, `payload` …).
    pub kind: ErrorKind,
    /// The same one line the text output prints.
    pub message: String,
}

/// The object printed on stdout.
#[derive(Serialize, JsonSchema)]
pub struct Envelope<'a, T: Serialize> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    pub ok: bool,
    pub command: &'a str,
    #[serde(flatten)]
    pub report: T,
    pub error: Option<ErrorBody>,
}

/// What a failure carries besides its error: the completeness report, when
/// the failure was the set's.
#[derive(Serialize, JsonSchema)]
pub struct Failure<'a> {
    #[serde(flatten)]
    pub check: Option<&'a CheckReport>,
}

impl<'a> Envelope<'a, Failure<'a>> {
    /// The object for a run that ended with `error`.
    pub fn failure(command: &'a str, error: &'a Error, message: String) -> Self {
        let check = match error {
            Error::Incomplete { report } => Some(&**report),
            _ => None,
        };
        Envelope {
            schema_version: SCHEMA_VERSION,
            ok: false,
            command,
            report: Failure { check },
            error: Some(ErrorBody { kind: error.kind(), message }),
        }
    }
}

/// The object for a usage error clap found before any command ran.
#[derive(Serialize, JsonSchema)]
pub struct Nothing {}

/// Serializes `value` on one line (a report cannot fail to serialize; if it
/// ever did, the object still says so rather than printing nothing).
pub fn to_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|error| {
        format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"ok":false,"error":{{"kind":"io","message":{}}}}}"#,
            serde_json::Value::String(format!("cannot write the JSON report: {error}"))
        )
    })
}
