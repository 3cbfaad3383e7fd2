//! Inno Setup's condition expressions (`Components: sql and not docs`): the
//! one question whether an expression holds for a set of chosen names.
#![warn(clippy::arithmetic_side_effects)]

/// Whether an Inno Setup condition expression holds, each name being true
/// when `is_chosen` says so. An absent or empty expression holds.
///
/// The grammar is Inno Setup's: names (which may contain `\`), `not`, `and`,
/// `or`, parentheses, and names side by side meaning `or` (`Components: a b`).
/// An expression that does not parse holds, so that a file is never lost to
/// a syntax this reader does not know (listing shows the expression).
pub(crate) fn holds(expression: Option<&str>, is_chosen: &dyn Fn(&str) -> bool) -> bool {
    let Some(expression) = expression.map(str::trim).filter(|e| !e.is_empty()) else {
        return true;
    };
    let tokens = tokenize(expression);
    let mut parser = Parser { tokens: &tokens, at: 0, is_chosen };
    match parser.or() {
        Some(value) if parser.at == tokens.len() => value,
        _ => true,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Name(&'a str),
    Open,
    Close,
}

fn tokenize(expression: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (at, c) in expression.char_indices() {
        let separator = c.is_whitespace() || c == '(' || c == ')' || c == ',';
        if separator {
            if let Some(from) = start.take() {
                tokens.push(Token::Name(&expression[from..at]));
            }
            match c {
                '(' => tokens.push(Token::Open),
                ')' => tokens.push(Token::Close),
                _ => {}
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(from) = start {
        tokens.push(Token::Name(&expression[from..]));
    }
    tokens
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
    is_chosen: &'t dyn Fn(&str) -> bool,
}

impl Parser<'_, '_> {
    fn keyword(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Name(n)) if n.eq_ignore_ascii_case(word))
    }

    /// `or` of `and`s; juxtaposed terms are an `or` too.
    fn or(&mut self) -> Option<bool> {
        let mut value = self.and()?;
        loop {
            if self.keyword("or") {
                self.at = self.at.saturating_add(1); // at most tokens.len()
            } else if !matches!(self.tokens.get(self.at), Some(Token::Name(_) | Token::Open)) {
                return Some(value);
            }
            let next = self.and()?;
            value = value || next;
        }
    }

    fn and(&mut self) -> Option<bool> {
        let mut value = self.not()?;
        while self.keyword("and") {
            self.at = self.at.saturating_add(1); // at most tokens.len()
            let next = self.not()?;
            value = value && next;
        }
        Some(value)
    }

    fn not(&mut self) -> Option<bool> {
        if self.keyword("not") {
            self.at = self.at.saturating_add(1); // at most tokens.len()
            return self.not().map(|v| !v);
        }
        match self.tokens.get(self.at)? {
            Token::Open => {
                self.at = self.at.saturating_add(1); // at most tokens.len()
                let value = self.or()?;
                if self.tokens.get(self.at) != Some(&Token::Close) {
                    return None;
                }
                self.at = self.at.saturating_add(1); // at most tokens.len()
                Some(value)
            }
            Token::Close => None,
            Token::Name(name) if name.eq_ignore_ascii_case("or") || name.eq_ignore_ascii_case("and") => None,
            Token::Name(name) => {
                self.at = self.at.saturating_add(1); // at most tokens.len()
                Some((self.is_chosen)(name))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen<'a>(names: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
        move |name| names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    #[test]
    fn expressions_follow_inno_setup_grammar() {
        let sql = chosen(&["sql", "sql\\tools"]);
        assert!(holds(None, &sql));
        assert!(holds(Some("  "), &sql));
        assert!(holds(Some("sql"), &sql));
        assert!(holds(Some("SQL"), &sql));
        assert!(!holds(Some("docs"), &sql));
        assert!(holds(Some("docs sql"), &sql), "names side by side are an or");
        assert!(holds(Some("docs or sql\\tools"), &sql));
        assert!(!holds(Some("docs and sql"), &sql));
        assert!(holds(Some("not docs"), &sql));
        assert!(!holds(Some("not (docs or sql)"), &sql));
        assert!(holds(Some("(docs or sql) and not server"), &sql));
        assert!(!holds(Some("sql and (docs or server)"), &sql));
    }

    #[test]
    fn an_expression_that_does_not_parse_keeps_the_file() {
        let none = chosen(&[]);
        assert!(holds(Some("docs and"), &none));
        assert!(holds(Some("(docs"), &none));
        assert!(holds(Some("docs)"), &none));
    }
}
