//! `-o text`: each response message in the protobuf text format, as `grpcurl -format text`
//! frames it: one message after another, each ending with a newline, every one after the first
//! preceded by an ASCII record separator (0x1E), so that a reader can split a stream.

use std::io::{self, Write};

use super::render::Render;

/// grpcurl's separator between messages.
pub const RECORD_SEPARATOR: u8 = 0x1e;

pub struct TextPrinter<W> {
    out: W,
    printed: u64,
}

impl<W: Write> TextPrinter<W> {
    pub fn new(out: W) -> Self {
        TextPrinter { out, printed: 0 }
    }

    pub fn message<M: Render>(&mut self, message: &M) -> io::Result<()> {
        if self.printed > 0 {
            self.out.write_all(&[RECORD_SEPARATOR])?;
        }
        self.printed += 1;
        let text = message.text()?;
        // The message's lines end with a newline; grpcurl writes it without its last one and
        // ends the message with one, so an empty message is an empty line.
        self.out
            .write_all(text.strip_suffix('\n').unwrap_or(&text).as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Hello, Item, Items};
    use tonic_health::pb::{HealthCheckResponse, health_check_response::ServingStatus};

    #[test]
    fn generated_messages_in_text_format_with_separators() {
        let mut buf = Vec::new();
        let mut printer = TextPrinter::new(&mut buf);
        printer
            .message(&Hello {
                message: "Hello \"Gonzalo\"!".into(),
            })
            .unwrap();
        printer
            .message(&Items {
                items: vec![Item {
                    id: 1,
                    name: "one".into(),
                }],
            })
            .unwrap();
        printer.message(&Item::default()).unwrap();
        printer
            .message(&HealthCheckResponse {
                status: ServingStatus::Serving as i32,
            })
            .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "message: \"Hello \\\"Gonzalo\\\"!\"\n\
             \x1eitems {\n  id: 1\n  name: \"one\"\n}\n\
             \x1e\n\
             \x1estatus: SERVING\n"
        );
    }
}
