//! The posix lab's steps, as a story: the call, what the kernel showed,
//! what it means.

use super::Layout;
use crate::model::PosixStep;

impl crate::report::Render for PosixStep {
    fn text(records: &[Self], layout: Layout) -> String {
        posix(records, layout)
    }
}

fn posix(steps: &[PosixStep], layout: Layout) -> String {
    let mut text = String::new();
    for s in steps {
        text.push_str(&format!("{}: {}\n", s.step, s.call));
        text.push_str(&format!("        kernel: {}\n", s.kernel_shows));
        text.push_str(&format!("        → {}\n\n", s.lesson));
    }
    layout.wrap(&text)
}
