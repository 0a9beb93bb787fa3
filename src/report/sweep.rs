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
    pub fn header(self) -> String {
        crate::i18n::t(match self {
            Setting::Children => "report-sweep-children",
            Setting::DelayUs => "report-sweep-delay",
            Setting::TimerSlack => "report-sweep-slack",
        })
    }

    /// The value in a table cell.
    pub fn value(self, r: &RacingRecord) -> String {
        match self {
            Setting::Children => r.children.to_string(),
            Setting::DelayUs => r.delay_us.to_string(),
            Setting::TimerSlack => {
                r.timer_slack_ns.map_or_else(|| crate::i18n::t("report-sweep-default"), |ns| ns.to_string())
            }
        }
    }

    /// The value with its name, for a label ("delay 10 µs").
    pub fn label(self, r: &RacingRecord) -> String {
        match self {
            Setting::Children => crate::tr!("report-sweep-children-label", n = r.children),
            Setting::DelayUs => crate::tr!("report-sweep-delay-label", us = r.delay_us),
            Setting::TimerSlack => r.timer_slack_ns.map_or_else(
                || crate::i18n::t("report-sweep-default-slack"),
                |ns| crate::tr!("report-sweep-slack-label", ns = ns),
            ),
        }
    }
}
