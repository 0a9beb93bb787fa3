//! The settings a racing sweep varies (children, the sleep, the timer
//! slack), named once for the table's columns and the chart's row labels.

use crate::model::RacingRecord;

/// One racing setting that can differ between records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Children,
    DelayUs,
    TimerSlack,
}

impl Setting {
    const ALL: [Setting; 3] = [Setting::Children, Setting::DelayUs, Setting::TimerSlack];

    /// The settings in which `records` differ, in a fixed order.
    pub fn varying(records: &[RacingRecord]) -> Vec<Setting> {
        let Some(first) = records.first() else { return Vec::new() };
        Self::ALL.into_iter().filter(|s| records.iter().any(|r| s.value(r) != s.value(first))).collect()
    }

    /// The column header.
    pub fn header(self) -> &'static str {
        match self {
            Setting::Children => "children",
            Setting::DelayUs => "delay µs",
            Setting::TimerSlack => "slack ns",
        }
    }

    /// The value in a table cell.
    pub fn value(self, r: &RacingRecord) -> String {
        match self {
            Setting::Children => r.children.to_string(),
            Setting::DelayUs => r.delay_us.to_string(),
            Setting::TimerSlack => r.timer_slack_ns.map_or("default".into(), |ns| ns.to_string()),
        }
    }

    /// The value with its name, for a label ("delay 10 µs").
    pub fn label(self, r: &RacingRecord) -> String {
        match self {
            Setting::Children => format!("{} children", r.children),
            Setting::DelayUs => format!("delay {} µs", r.delay_us),
            Setting::TimerSlack => r.timer_slack_ns.map_or("default slack".into(), |ns| format!("slack {ns} ns")),
        }
    }
}
