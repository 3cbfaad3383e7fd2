//! Names made safe for a terminal, quoted the way the user's shell reads them.
//!
//! Entry names come from archives, which may be hostile: a name holding
//! `ESC [ 2 J` or a right-to-left override would clear or rearrange the
//! user's terminal if printed raw. Text output passes every name through
//! [`quote`] (a whole name, as the shell would take it: os_display) and
//! every message through [`escape_controls`] (only the non-printing
//! characters, so the sentence stays readable). JSON output is not escaped
//! this way: serde_json writes the exact name with its own `\u001b` escapes.

/// Whether `c` must not reach a terminal raw: control characters (C0, DEL,
/// C1) and the Unicode bidirectional overrides and isolates.
fn is_non_printing(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `c` as `ls` writes it inside `$'…'`: `\n`, `\t` … or octal bytes.
fn ansi_c(c: char, out: &mut String) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\x0b' => out.push_str("\\v"),
        '\x0c' => out.push_str("\\f"),
        '\r' => out.push_str("\\r"),
        _ => {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("\\{byte:03o}"));
            }
        }
    }
}

/// `name` as the user's shell would have it typed: unchanged when it is
/// plain, else quoted, with non-printing characters escaped (os_display:
/// shell-escape quoting as `ls` shows names on Unix, PowerShell quoting on
/// Windows, where `E:\mabs\setup.exe` needs none).
pub fn quote(name: &str) -> String {
    os_display::Quoted::native(name).force(false).to_string()
}

/// `text` with each non-printing character written as `$'\033'`, the rest
/// unchanged: for whole messages, which embed names among words.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(is_non_printing) {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if is_non_printing(c) {
            out.push_str("$'");
            ansi_c(c, &mut out);
            out.push('\'');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_as_the_shell_reads_them() {
        // On Unix (where this runs): what bash reads back as the same name;
        // no raw control or bidi character ever reaches the terminal.
        assert_eq!(quote("setup.exe"), "setup.exe");
        assert_eq!(quote("docs/資料說明.txt"), "docs/資料說明.txt");
        assert_eq!(quote("NAME (1).exe"), "'NAME (1).exe'");
        assert_eq!(quote("a\x1b[2Jb"), "$'a\\x1B[2Jb'");
        assert_eq!(quote("line\nbreak"), "$'line\\nbreak'");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("\u{202e}txt.exe"), "$'\\xE2\\x80\\xAEtxt.exe'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn messages_keep_their_words_and_lose_their_control_bytes() {
        assert_eq!(escape_controls("bad name a\x1b]0;x\x07 here"), "bad name a$'\\033']0;x$'\\a' here");
        assert_eq!(escape_controls("plain"), "plain");
    }
}
