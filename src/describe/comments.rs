//! The comments a `.proto` file had on its elements, from the source info its descriptor keeps
//! (compilers keep it on request; reflection passes on whatever the server was built with).

use std::collections::HashMap;

use prost_types::FileDescriptorProto;

/// The leading and trailing comments of one file's elements, by descriptor path (`[4, 0]` is
/// the file's first message, `[4, 0, 2, 1]` its second field…). Empty when the file carries no
/// source info.
pub(super) struct Comments<'a> {
    by_path: HashMap<&'a [i32], (&'a str, &'a str)>,
}

impl<'a> Comments<'a> {
    pub(super) fn of(file: &'a FileDescriptorProto) -> Comments<'a> {
        let mut by_path = HashMap::new();
        let locations = file.source_code_info.iter().flat_map(|info| &info.location);
        for location in locations {
            let (leading, trailing) = (location.leading_comments(), location.trailing_comments());
            if !leading.is_empty() || !trailing.is_empty() {
                by_path
                    .entry(location.path.as_slice())
                    .or_insert((leading, trailing));
            }
        }
        Comments { by_path }
    }

    /// The comment just above the element, as `//` lines; none when it has none.
    pub(super) fn leading(&self, path: &[i32]) -> Vec<String> {
        self.by_path
            .get(path)
            .map(|&(leading, _)| comment_lines(leading))
            .unwrap_or_default()
    }

    /// The comment after the element on its line (or on the lines below it), as `//` lines.
    pub(super) fn trailing(&self, path: &[i32]) -> Vec<String> {
        self.by_path
            .get(path)
            .map(|&(_, trailing)| comment_lines(trailing))
            .unwrap_or_default()
    }
}

/// A comment's text as `//` lines. The text keeps the space that followed `//` in the source
/// (" Points are…"), so prefixing `//` gives the lines back as they were written.
fn comment_lines(text: &str) -> Vec<String> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split('\n')
        .map(|line| format!("//{}", line.trim_end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_their_lines_and_blank_lines() {
        assert_eq!(
            comment_lines(" A simple RPC.\n\n Obtains the feature.\n"),
            ["// A simple RPC.", "//", "// Obtains the feature."]
        );
        assert_eq!(comment_lines("no space\r\n"), ["//no space"]);
        assert!(comment_lines("").is_empty());
        assert!(comment_lines("  \n").is_empty());
    }
}
