//! The lifecycle steps, as a numbered story.

use super::Layout;
use crate::model::Step;

impl crate::report::Render for Step {
    fn text(records: &[Self], layout: Layout) -> String {
        lifecycle(records, layout)
    }
}

fn lifecycle(steps: &[Step], layout: Layout) -> String {
    let mut text = String::new();
    for s in steps {
        text.push_str(&format!("step {}  {}: {}\n", s.step, s.actor, s.action));
        text.push_str(&format!("        kernel: {}\n", s.kernel_shows));
        text.push_str(&format!("        → {}\n\n", s.lesson));
    }
    layout.wrap(&text)
}
