//! `-o json`: the proto3 JSON mapping of each response message, compact, one value per line.

use std::io::{self, Write};

use super::render::Render;

pub struct JsonPrinter<W> {
    out: W,
    /// `--emit-defaults`: include fields that hold their default values.
    emit_defaults: bool,
}

impl<W: Write> JsonPrinter<W> {
    pub fn new(out: W, emit_defaults: bool) -> Self {
        JsonPrinter { out, emit_defaults }
    }

    pub fn message<M: Render>(&mut self, message: &M) -> io::Result<()> {
        message.write_json(&mut self.out, self.emit_defaults)?;
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

    fn printed<M: Render>(message: &M) -> String {
        let mut buf = Vec::new();
        JsonPrinter::new(&mut buf, false).message(message).unwrap();
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
            printed(&hello),
            "{\"message\":\"Hello \\\"Gonzalo\\\"!\"}\n"
        );
        let items = Items {
            items: vec![item(1), item(2)],
        };
        assert_eq!(
            printed(&items),
            "{\"items\":[{\"id\":1,\"name\":\"name 1\"},{\"id\":2,\"name\":\"name 2\"}]}\n"
        );
        assert_eq!(printed(&item(7)), "{\"id\":7,\"name\":\"name 7\"}\n");
    }

    #[test]
    fn health_status() {
        let response = HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        };
        assert_eq!(printed(&response), "{\"status\":\"SERVING\"}\n");
    }

    #[test]
    fn default_values_are_omitted_as_proto3_json_requires() {
        assert_eq!(printed(&Items::default()), "{}\n");
        assert_eq!(printed(&Hello::default()), "{}\n");
        assert_eq!(printed(&Item::default()), "{}\n");
    }
}
