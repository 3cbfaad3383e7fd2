//! PLACEHOLDER-STUB: replaced by the real module.
use crate::error::Result;
use crate::payload::{Entry, EntrySink};
use crate::progress::Cancel;
use crate::set_reader::SetReader;
pub(crate) fn list(_reader: &SetReader, _password: Option<&str>, label: &str) -> Result<Vec<Entry>> { Err(crate::error::Error::payload(label, "stub")) }
#[allow(clippy::too_many_arguments)]
pub(crate) fn extract(_reader: &SetReader, _password: Option<&str>, label: &str, _selected: &[bool], _sink: &dyn EntrySink, _threads: usize, _cancel: &Cancel) -> Result<()> { Err(crate::error::Error::payload(label, "stub")) }
