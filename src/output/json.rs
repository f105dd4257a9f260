//! `-o json`: the proto3 JSON mapping of each response message, compact, one value per line.

use std::io::{self, Write};

use serde::Serialize;

use super::Printer;
use crate::api::{Hello, Item, Items};

pub struct JsonPrinter<W> {
    out: W,
}

impl<W: Write> JsonPrinter<W> {
    pub fn new(out: W) -> Self {
        JsonPrinter { out }
    }

    fn line<T: Serialize>(&mut self, message: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, message).map_err(io::Error::from)?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn hello(&mut self, hello: &Hello) -> io::Result<()> {
        self.line(hello)
    }

    fn items(&mut self, items: &Items) -> io::Result<()> {
        self.line(items)
    }

    fn stream_start(&mut self, _expected: i32) -> io::Result<()> {
        Ok(())
    }

    fn stream_item(&mut self, item: &Item) -> io::Result<()> {
        self.line(item)
    }

    fn health(&mut self, status: &str) -> io::Result<()> {
        // The proto3 JSON mapping of grpc.health.v1.HealthCheckResponse.
        self.line(&serde_json::json!({ "status": status }))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(f: impl FnOnce(&mut JsonPrinter<&mut Vec<u8>>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut JsonPrinter::new(&mut buf)).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn item(id: i32) -> Item {
        Item {
            id,
            name: format!("name {id}"),
        }
    }

    #[test]
    fn proto3_json_mapping() {
        let hello = Hello {
            message: "Hello \"Gonzalo\"!".into(),
        };
        assert_eq!(
            printed(|p| p.hello(&hello)),
            "{\"message\":\"Hello \\\"Gonzalo\\\"!\"}\n"
        );
        let items = Items {
            items: vec![item(1), item(2)],
        };
        assert_eq!(
            printed(|p| p.items(&items)),
            "{\"items\":[{\"id\":1,\"name\":\"name 1\"},{\"id\":2,\"name\":\"name 2\"}]}\n"
        );
        assert_eq!(
            printed(|p| p.stream_item(&item(7))),
            "{\"id\":7,\"name\":\"name 7\"}\n"
        );
    }

    #[test]
    fn health_status() {
        assert_eq!(
            printed(|p| p.health("SERVING")),
            "{\"status\":\"SERVING\"}\n"
        );
    }

    #[test]
    fn default_values_are_omitted_as_proto3_json_requires() {
        assert_eq!(printed(|p| p.items(&Items::default())), "{}\n");
        assert_eq!(printed(|p| p.hello(&Hello::default())), "{}\n");
        assert_eq!(printed(|p| p.stream_item(&Item::default())), "{}\n");
    }
}
