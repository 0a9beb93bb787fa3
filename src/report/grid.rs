//! Tables that fit the width they are printed in.
//!
//! A terminal that wraps a table by itself turns it into noise, so a table
//! that is too wide changes shape instead, in this order, stopping at the
//! first that fits: as it is; with the columns whose value is the same in
//! every row moved into a line above it; with its running-text columns
//! wrapped inside their cells; split into several narrower tables that
//! each repeat the key columns; and last, one block per row (`header
//! value` lines). No cell is ever dropped: information moves, it is not
//! lost.

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Modify, Style, Width};

use super::text::{widest_line, width_of, wrap};

/// A table before it is laid out.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// How many leading columns name a row (repeated in every part of a
    /// split table, and the heading of a row's block).
    keys: usize,
    /// Columns of running text, which may be wrapped inside their cells.
    prose: Vec<usize>,
}

/// The narrowest a wrapped text column is made.
const MIN_PROSE: usize = 16;

impl Grid {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Self { headers: headers.into_iter().map(Into::into).collect(), keys: 1, ..Self::default() }
    }

    /// A line printed above the table.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The first `n` columns name a row.
    pub fn keys(mut self, n: usize) -> Self {
        self.keys = n;
        self
    }

    /// Column `index` is running text that may be wrapped.
    pub fn prose(mut self, index: usize) -> Self {
        self.prose.push(index);
        self
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    fn table(&self, prose_width: Option<usize>) -> String {
        let mut b = Builder::default();
        b.push_record(self.headers.clone());
        for r in &self.rows {
            b.push_record(r.clone());
        }
        let mut t = b.build();
        t.with(Style::sharp());
        if let Some(w) = prose_width {
            for &c in &self.prose {
                t.with(Modify::new(Columns::new(c..=c)).with(Width::wrap(w).keep_words(true)));
            }
        }
        t.to_string()
    }

    /// The grid laid out to fit `width` columns (see the module docs).
    pub fn render(&self, width: usize) -> String {
        let table = self.table(None);
        if widest_line(&table) <= width || self.rows.is_empty() {
            return self.fitted_title(table, width);
        }
        let grid = self.hoisted();
        let table = grid.table(None);
        if widest_line(&table) <= width {
            return grid.fitted_title(table, width);
        }
        if !grid.prose.is_empty() {
            let longest = grid.prose.iter().flat_map(|&c| grid.rows.iter().map(move |r| width_of(&r[c]))).max();
            let mut w = longest.unwrap_or(0);
            while w > MIN_PROSE {
                w = (w * 4 / 5).max(MIN_PROSE);
                let table = grid.table(Some(w));
                if widest_line(&table) <= width {
                    return grid.fitted_title(table, width);
                }
            }
        }
        if let Some(parts) = grid.split(width) {
            return grid.fitted_title(parts, width);
        }
        grid.fitted_title(grid.blocks(width), width)
    }

    fn fitted_title(&self, body: String, width: usize) -> String {
        match &self.title {
            Some(t) => format!("{}\n{body}", wrap(t, width)),
            None => body,
        }
    }

    /// Columns with one value in every row (of several) become a line
    /// above the table: `lock: none, children: 100`.
    fn hoisted(&self) -> Grid {
        if self.rows.len() < 2 {
            return self.clone();
        }
        let constant: Vec<usize> =
            (0..self.headers.len()).filter(|&c| self.rows.iter().all(|r| r.get(c) == self.rows[0].get(c))).collect();
        // Keep at least one column to show.
        if constant.is_empty() || constant.len() >= self.headers.len() {
            return self.clone();
        }
        let colon = crate::i18n::t("label-colon");
        let said: Vec<String> =
            constant.iter().map(|&c| format!("{}{colon}{}", self.headers[c], self.rows[0][c])).collect();
        let keep: Vec<usize> = (0..self.headers.len()).filter(|c| !constant.contains(c)).collect();
        let title = match &self.title {
            Some(t) => format!("{t}\n{}", in_every_row(&said)),
            None => in_every_row(&said),
        };
        Grid {
            title: Some(title),
            headers: keep.iter().map(|&c| self.headers[c].clone()).collect(),
            rows: self.rows.iter().map(|r| keep.iter().map(|&c| r[c].clone()).collect()).collect(),
            keys: keep.iter().filter(|&&c| c < self.keys).count().max(1),
            prose: self.prose.iter().filter_map(|p| keep.iter().position(|c| c == p)).collect(),
        }
    }

    fn columns(&self, columns: &[usize]) -> Grid {
        Grid {
            title: None,
            headers: columns.iter().map(|&c| self.headers[c].clone()).collect(),
            rows: self.rows.iter().map(|r| columns.iter().map(|&c| r[c].clone()).collect()).collect(),
            keys: self.keys,
            prose: Vec::new(),
        }
    }

    /// Several tables, each with the key columns and as many of the others
    /// as fit; `None` if even one other column does not fit beside the keys.
    fn split(&self, width: usize) -> Option<String> {
        let keys: Vec<usize> = (0..self.keys.min(self.headers.len())).collect();
        let mut parts = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        for c in self.keys..self.headers.len() {
            let mut trial = keys.clone();
            trial.extend(&current);
            trial.push(c);
            if widest_line(&self.columns(&trial).table(None)) <= width {
                current.push(c);
                continue;
            }
            if current.is_empty() {
                return None;
            }
            parts.push(std::mem::take(&mut current));
            let mut alone = keys.clone();
            alone.push(c);
            if widest_line(&self.columns(&alone).table(None)) > width {
                return None;
            }
            current.push(c);
        }
        if !current.is_empty() {
            parts.push(current);
        }
        if parts.len() < 2 {
            return None;
        }
        let tables: Vec<String> = parts
            .iter()
            .map(|p| {
                let mut cols = keys.clone();
                cols.extend(p);
                self.columns(&cols).table(None)
            })
            .collect();
        Some(tables.join("\n"))
    }

    /// One block per row: the key cells as its heading, then one
    /// `header  value` line per other column, wrapped under the value.
    fn blocks(&self, width: usize) -> String {
        let label = self.headers.iter().skip(self.keys).map(|h| width_of(h)).max().unwrap_or(0).min(24);
        let mut out = Vec::new();
        for r in &self.rows {
            let heading: Vec<&str> = r.iter().take(self.keys).map(String::as_str).collect();
            let mut block = heading.join(" / ");
            for (h, v) in self.headers.iter().zip(r).skip(self.keys) {
                let pad = label.saturating_sub(width_of(h));
                block.push('\n');
                block.push_str(&wrap(&format!("  {h}{}  {v}", " ".repeat(pad)), width));
            }
            out.push(block);
        }
        out.join("\n\n")
    }
}

/// The line that lists the columns whose value is the same in every row.
fn in_every_row(said: &[String]) -> String {
    crate::i18n::text("grid-in-every-row", &[("values", said.join(&crate::i18n::t("grid-list-gap")))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide() -> Grid {
        let mut g = Grid::new(["backend", "lock", "a long header", "another long header", "yet another one"]).keys(2);
        for (i, b) in ["mmap", "xsi-private", "memfd"].into_iter().enumerate() {
            g.row([
                b.to_string(),
                "none".into(),
                format!("123456789{i}"),
                format!("1234567890 123456789{i}"),
                "x".into(),
            ]);
        }
        g
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        let g = wide();
        assert_eq!(g.render(200), g.table(None));
    }

    #[test]
    fn every_shape_fits_and_keeps_every_cell() {
        for width in [40, 50, 60, 70, 80] {
            let text = wide().render(width);
            assert!(widest_line(&text) <= width, "{width}:\n{text}");
            for cell in ["xsi-private", "1234567890 1234567892", "none"] {
                assert!(text.contains(cell), "{width}: {cell} lost:\n{text}");
            }
        }
    }

    #[test]
    fn constant_columns_move_above_the_table() {
        let text = wide().render(70);
        assert!(text.starts_with("In every row: lock: none, yet another one: x."), "{text}");
    }

    #[test]
    fn prose_is_wrapped_in_its_cell() {
        let mut g = Grid::new(["limit", "value", "what it means"]).prose(2);
        g.row(["kernel.shmmax", "18446744073692774399", "the largest single segment: EINVAL above it, always"]);
        g.row(["kernel.shmmni", "4096", "how many segments may exist"]);
        let text = g.render(60);
        assert!(widest_line(&text) <= 60 && text.contains("kernel.shmmax") && text.contains("│ limit"), "{text}");
    }
}
