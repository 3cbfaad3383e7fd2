//! Names made safe for a terminal, quoted the way GNU `ls` quotes them.
//!
//! Entry names come from archives, which may be hostile: a name holding
//! `ESC [ 2 J` or a right-to-left override would clear or rearrange the
//! user's terminal if printed raw. Text output passes every name through
//! [`quote`] (a whole name, as `ls --quoting-style=shell-escape` shows it) and
//! every message through [`escape_controls`] (only the non-printing
//! characters, so the sentence stays readable). JSON output is not escaped
//! this way: serde_json writes the exact name with its own `\u001b` escapes.

/// Whether `c` must not reach a terminal raw: control characters (C0, DEL,
/// C1) and the Unicode bidirectional overrides and isolates.
fn is_non_printing(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Characters `ls` leaves unquoted.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-+,/:@%=^".contains(c) || (!c.is_ascii() && !is_non_printing(c))
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

/// `name` as `ls` shows it: unchanged when it is plain, else in single
/// quotes, with non-printing characters as `$'\033'`-style escapes.
pub fn quote(name: &str) -> String {
    if !name.is_empty() && name.chars().all(is_plain) {
        return name.to_owned();
    }
    let mut out = String::new();
    let mut in_quotes = false;
    for c in name.chars() {
        if is_non_printing(c) {
            if in_quotes {
                out.push('\'');
                in_quotes = false;
            }
            out.push_str("$'");
            ansi_c(c, &mut out);
            out.push('\'');
        } else if c == '\'' {
            if in_quotes {
                out.push('\'');
                in_quotes = false;
            }
            out.push_str("\\'");
        } else {
            if !in_quotes {
                out.push('\'');
                in_quotes = true;
            }
            out.push(c);
        }
    }
    if in_quotes {
        out.push('\'');
    }
    if out.is_empty() { "''".to_owned() } else { out }
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
    fn names_are_quoted_as_ls_quotes_them() {
        // Expected strings are what `ls --quoting-style=shell-escape` prints.
        assert_eq!(quote("setup.exe"), "setup.exe");
        assert_eq!(quote("docs/資料說明.txt"), "docs/資料說明.txt");
        assert_eq!(quote("NAME (1).exe"), "'NAME (1).exe'");
        assert_eq!(quote("a\x1b[2Jb"), "'a'$'\\033''[2Jb'");
        assert_eq!(quote("line\nbreak"), "'line'$'\\n''break'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("\u{202e}txt.exe"), "$'\\342\\200\\256''txt.exe'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn messages_keep_their_words_and_lose_their_control_bytes() {
        assert_eq!(escape_controls("bad name a\x1b]0;x\x07 here"), "bad name a$'\\033']0;x$'\\a' here");
        assert_eq!(escape_controls("plain"), "plain");
    }
}
