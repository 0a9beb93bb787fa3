//! The lifecycle steps, as a numbered story.

use super::Layout;
use crate::model::Step;
use crate::tr;

impl crate::report::Render for Step {
    fn text(records: &[Self], layout: Layout) -> String {
        lifecycle(records, layout)
    }
}

fn lifecycle(steps: &[Step], layout: Layout) -> String {
    let mut text = String::new();
    for s in steps {
        text.push_str(&tr!("lifecycle-step", step = s.step, actor = &s.actor, action = &s.action));
        text.push_str(&format!("\n        {}\n", tr!("lifecycle-kernel", shows = &s.kernel_shows)));
        text.push_str(&format!("        {}\n\n", tr!("lifecycle-lesson", lesson = &s.lesson)));
    }
    layout.wrap(&text)
}
