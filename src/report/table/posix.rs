//! The posix lab's steps, as a story: the call, what the kernel showed,
//! what it means.

use super::Layout;
use crate::model::PosixStep;
use crate::tr;

impl crate::report::Render for PosixStep {
    fn text(records: &[Self], layout: Layout) -> String {
        posix(records, layout)
    }
}

fn posix(steps: &[PosixStep], layout: Layout) -> String {
    let mut text = String::new();
    for s in steps {
        text.push_str(&format!("{}\n", tr!("posix-step", step = &s.step, call = &s.call)));
        text.push_str(&format!("        {}\n", tr!("posix-kernel", shows = &s.kernel_shows)));
        text.push_str(&format!("        {}\n\n", tr!("posix-lesson", lesson = &s.lesson)));
    }
    layout.wrap(&text)
}
