//! `apicli list` and `apicli describe`: what the server (or the user's files) describes.

use std::{
    borrow::Cow,
    io::{self, BufWriter, Write},
};

use anyhow::Context as _;
use prost_reflect::{FileDescriptor, MethodDescriptor};
use serde::Serialize;

use crate::{
    call::CallRun,
    describe,
    descriptors::{Symbol, kind_of},
    exit::UsageError,
    output::{Cell, Layout, Printer, Render},
    settings::{ClientSettings, Explore, Export, OutputFormat},
};

pub async fn run(settings: &ClientSettings, explore: &Explore) -> anyhow::Result<()> {
    let mut call = CallRun::new(settings)?;
    let (mut descriptors, _channel) = call.descriptors().await?;
    let mut out = BufWriter::new(io::stdout().lock());
    match explore {
        Explore::List { service: None } => {
            let services = call.race(descriptors.services()).await?;
            let rows = services.iter().map(|name| ServiceRow { service: name });
            print_rows(settings, &mut out, rows)?;
        }
        Explore::List {
            service: Some(name),
        } => {
            let service = call.race(descriptors.service(name)).await?;
            let methods: Vec<MethodDescriptor> = service.methods().collect();
            print_rows(settings, &mut out, methods.iter().map(MethodRow::of))?;
        }
        Explore::Describe { symbol, export, .. } if !export.is_empty() => {
            let roots = match symbol {
                Some(name) => vec![call.race(descriptors.symbol(name)).await?.parent_file()],
                None => {
                    let mut roots = Vec::new();
                    for name in call.race(descriptors.services()).await? {
                        roots.push(call.race(descriptors.service(&name)).await?.parent_file());
                    }
                    roots
                }
            };
            write_export(export, &describe::with_imports(roots))?;
        }
        Explore::Describe {
            symbol, template, ..
        } => {
            let symbols = match symbol {
                Some(name) => vec![call.race(descriptors.symbol(name)).await?],
                // Every service, as grpcurl's describe without a symbol.
                None => {
                    let mut symbols = Vec::new();
                    for name in call.race(descriptors.services()).await? {
                        symbols.push(Symbol::Service(
                            call.race(descriptors.service(&name)).await?,
                        ));
                    }
                    symbols
                }
            };
            describe_symbols(settings, &mut out, &symbols, *template)?;
        }
    }
    out.flush().context("writing to stdout")?;
    // End the reflection session with OK; a server that does not answer the half-close soon is
    // left to see the connection close.
    let _ = tokio::time::timeout(CLOSE_GRACE, descriptors.close_reflection()).await;
    Ok(())
}

/// Describes `symbols` one after another: as `.proto` text (a blank line between two), a
/// descriptor's JSON per line, or request skeletons (`--template`).
fn describe_symbols(
    settings: &ClientSettings,
    out: &mut impl Write,
    symbols: &[Symbol],
    template: bool,
) -> anyhow::Result<()> {
    for (index, symbol) in symbols.iter().enumerate() {
        if index > 0 && !template && settings.output != OutputFormat::Json {
            out.write_all(b"\n")?;
        }
        if template {
            let message = match symbol {
                Symbol::Message(message) => message.clone(),
                Symbol::Method(method) => method.input(),
                other => {
                    return Err(UsageError(format!(
                        "--template takes a message or a method; '{}' is {}",
                        other.full_name(),
                        kind_of(other)
                    ))
                    .into());
                }
            };
            out.write_all(describe::template_text(&message).as_bytes())?;
        } else if settings.output == OutputFormat::Json {
            out.write_all(describe::descriptor_json(symbol).as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(describe::proto_text(symbol).as_bytes())?;
        }
    }
    Ok(())
}

/// Writes the exported files, then says on stderr what was written: stdout stays empty.
fn write_export(export: &Export, files: &[FileDescriptor]) -> anyhow::Result<()> {
    let count = match files.len() {
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    };
    if let Some(path) = &export.protoset {
        describe::write_protoset(path, &describe::descriptor_set(files))?;
        eprintln!("wrote {count} to {}", path.display());
    }
    if let Some(dir) = &export.protos {
        describe::write_protos(dir, files)?;
        eprintln!("wrote {count} under {}", dir.display());
    }
    Ok(())
}

/// How long the reflection session may take to end after the output is written.
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Prints rows: as JSON, one object per line; as a table, aligned over all rows.
fn print_rows<R: Row + Serialize>(
    settings: &ClientSettings,
    out: &mut impl Write,
    rows: impl Iterator<Item = R>,
) -> io::Result<()> {
    match settings.output {
        OutputFormat::Json => {
            for row in rows {
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        // Names and kinds are not messages: `-o text` lists them as the table does.
        OutputFormat::Table | OutputFormat::Text => {
            let table = Table {
                columns: R::COLUMNS,
                rows: rows.map(|row| row.cells()).collect(),
            };
            let mut printer = Printer::new(OutputFormat::Table, out, settings.color.stdout, false);
            if !table.rows.is_empty() {
                printer.message(&table, false)?;
            }
            Ok(())
        }
    }
}

/// A line of `list`: its JSON is its fields, its table row its cells.
trait Row {
    const COLUMNS: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

#[derive(Serialize)]
struct ServiceRow<'a> {
    service: &'a str,
}

impl Row for ServiceRow<'_> {
    const COLUMNS: &'static [&'static str] = &["service"];

    fn cells(&self) -> Vec<String> {
        vec![self.service.to_owned()]
    }
}

#[derive(Serialize)]
struct MethodRow<'a> {
    service: &'a str,
    method: &'a str,
    kind: &'static str,
    request: String,
    response: String,
}

impl<'a> MethodRow<'a> {
    fn of(method: &'a MethodDescriptor) -> MethodRow<'a> {
        let kind = match (method.is_client_streaming(), method.is_server_streaming()) {
            (false, false) => "unary",
            (false, true) => "server-streaming",
            (true, false) => "client-streaming",
            (true, true) => "bidi",
        };
        MethodRow {
            service: method.parent_service().full_name(),
            method: method.name(),
            kind,
            request: method.input().full_name().to_owned(),
            response: method.output().full_name().to_owned(),
        }
    }
}

impl Row for MethodRow<'_> {
    const COLUMNS: &'static [&'static str] = &["method", "kind", "request", "response"];

    fn cells(&self) -> Vec<String> {
        [self.method, self.kind, &self.request, &self.response]
            .map(str::to_owned)
            .to_vec()
    }
}

/// Rows of text measured together, for the table printer.
struct Table {
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

impl Render for Table {
    fn write_json<W: Write>(&self, _: &mut W, _: bool) -> io::Result<()> {
        unreachable!("rows are printed as JSON one by one")
    }

    fn text(&self) -> io::Result<String> {
        Err(io::Error::other("rows are printed as a table"))
    }

    fn layout(&self) -> Layout {
        Layout {
            columns: self.columns.iter().map(|&c| c.to_owned()).collect(),
            list: None,
        }
    }

    fn rows<F>(&self, mut row: F) -> io::Result<()>
    where
        F: FnMut(&[Cell<'_>]) -> io::Result<()>,
    {
        for cells in &self.rows {
            let cells: Vec<Cell<'_>> = cells.iter().map(|c| Cell::Text(Cow::Borrowed(c))).collect();
            row(&cells)?;
        }
        Ok(())
    }
}
