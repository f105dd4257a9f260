//! ARCHITECTURE.md's table "module | layer | may import".

use std::collections::{BTreeMap, BTreeSet};

/// ARCHITECTURE.md's table: the layers top to bottom (in the order the rows name them), and for
/// each module its layer and the modules it may import.
#[derive(Debug)]
pub struct Table {
    pub layers: Vec<String>,
    /// module → (its layer's index, the modules it may import).
    pub rows: BTreeMap<String, (usize, BTreeSet<String>)>,
}

impl Table {
    /// The rows after the header `| module | layer | may import |`. A "may import" entry is a
    /// module, or a layer (every module of it); `—` is none.
    pub fn read(markdown: &str) -> Result<Table, Vec<String>> {
        let mut lines = markdown.lines().skip_while(|line| {
            cells(line).is_none_or(|cells| cells != ["module", "layer", "may import"])
        });
        if lines.next().is_none() {
            return Err(vec!["no table '| module | layer | may import |'".into()]);
        }
        let mut layers: Vec<String> = Vec::new();
        let mut raw = Vec::new();
        for line in lines.skip(1) {
            let Some(cells) = cells(line) else { break };
            let [module, layer, may] = cells.as_slice() else {
                return Err(vec![format!("a row without three cells: {line}")]);
            };
            if !layers.contains(layer) {
                layers.push(layer.clone());
            }
            let index = layers.iter().position(|l| l == layer).unwrap();
            raw.push((module.clone(), index, may.clone()));
        }
        let mut problems = Vec::new();
        let mut rows = BTreeMap::new();
        for (module, index, _) in &raw {
            if layers.contains(module) {
                problems.push(format!("'{module}' names both a module and a layer"));
            }
            if rows
                .insert(module.clone(), (*index, BTreeSet::new()))
                .is_some()
            {
                problems.push(format!("two rows for {module}"));
            }
        }
        for (module, index, may) in raw {
            let mut allowed = BTreeSet::new();
            for entry in may
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty() && *e != "—")
            {
                if let Some(layer) = layers.iter().position(|l| l == entry) {
                    let of_layer = rows.iter().filter(|(_, (l, _))| *l == layer);
                    allowed.extend(of_layer.map(|(name, _)| name.clone()));
                } else if rows.contains_key(entry) {
                    allowed.insert(entry.to_owned());
                } else {
                    problems.push(format!(
                        "{module} may import '{entry}': no such module or layer"
                    ));
                }
            }
            for other in &allowed {
                let (layer, _) = rows[other];
                if layer < index {
                    problems.push(format!(
                        "{module} ({}) may import {other}, of the layer above ({})",
                        layers[index], layers[layer]
                    ));
                }
            }
            rows.get_mut(&module).unwrap().1 = allowed;
        }
        if problems.is_empty() {
            Ok(Table { layers, rows })
        } else {
            Err(problems)
        }
    }
}

/// A table row's cells, without backticks; `None` for a line that is not a row.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<String> = inner
        .split('|')
        .map(|cell| cell.replace('`', "").trim().to_owned())
        .collect();
    Some(cells)
}
