//! The container lab's record: one thing done inside (or outside) a
//! namespace or a cgroup, and what the kernel showed.

use serde::{Deserialize, Serialize};

/// The four experiments of `shmlab container`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerStep {
    /// SysV objects belong to an IPC namespace; POSIX objects to a /dev/shm.
    IpcNamespace,
    /// Docker's 64 MiB /dev/shm: SIGBUS on touch, ENOSPC from posix_fallocate.
    DevShmSize,
    /// Shared memory is charged to the cgroup that first touched it.
    CgroupCharge,
    /// kernel.shm_rmid_forced in a namespace of its own.
    RmidForced,
}

impl ContainerStep {
    pub const ALL: [ContainerStep; 4] = [
        ContainerStep::IpcNamespace,
        ContainerStep::DevShmSize,
        ContainerStep::CgroupCharge,
        ContainerStep::RmidForced,
    ];

    /// Its name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ContainerStep::IpcNamespace => "ipc-namespace",
            ContainerStep::DevShmSize => "dev-shm-size",
            ContainerStep::CgroupCharge => "cgroup-charge",
            ContainerStep::RmidForced => "rmid-forced",
        }
    }
}

/// What the lab's two memory cgroups held after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Charge {
    /// Bytes charged to group A (the toucher's): `memory.current` or
    /// `memory.usage_in_bytes`.
    pub a_charged: u64,
    /// Of that, shared memory (memory.stat `shmem`).
    pub a_shmem: u64,
    /// The same for group B (the reader's).
    pub b_charged: u64,
    pub b_shmem: u64,
    /// OOM kills in group A so far.
    pub a_oom_kills: u64,
}

/// One observation of the container lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContainerRecord {
    pub step: ContainerStep,
    /// Short id, unique within the step: `create-inside`, `touch`, `fallocate`.
    pub id: String,
    /// Where it happened: `host`, `namespace A`, `cgroup A` ...
    pub place: String,
    /// Who made the namespaces: `root`, or `uid 1000, root in a user namespace of its own`.
    pub privilege: String,
    /// The calls made, as C writes them.
    pub call: String,
    /// What the kernel answered or showed.
    pub kernel_shows: String,
    /// /proc/sysvipc/shm rows (key, shmid, bytes, nattch) seen where it
    /// happened, when the step is about visibility.
    pub inside: Option<Vec<String>>,
    /// The host's rows for the same key at the same moment.
    pub outside: Option<Vec<String>>,
    /// The errno of the call that failed, if the point is that it fails.
    pub errno: Option<String>,
    /// The signal that ended the process that did it, if one did.
    pub signal: Option<String>,
    /// Bytes it had touched when the signal came.
    pub reached: Option<u64>,
    /// Bytes of the object the observation is about.
    pub size: Option<u64>,
    /// Whether the object still existed afterwards, where that is the point.
    pub exists: Option<bool>,
    /// The cgroups' charge afterwards (cgroup-charge only).
    pub charge: Option<Charge>,
    /// Why the whole step did not run here, and what would make it run.
    pub skipped: Option<String>,
    /// What it means.
    pub lesson: String,
}

impl ContainerRecord {
    /// The record of a step that could not run here.
    pub fn skipped(step: ContainerStep, why: String) -> Self {
        Self::new(step, "skipped", "-", "-", "-", "-", "").with(|r| r.skipped = Some(why))
    }

    /// An observation with the fields every one has; the others are set
    /// with [`Self::with`].
    pub fn new(
        step: ContainerStep,
        id: &str,
        place: &str,
        privilege: &str,
        call: &str,
        shows: &str,
        lesson: &str,
    ) -> Self {
        Self {
            step,
            id: id.to_string(),
            place: place.to_string(),
            privilege: privilege.to_string(),
            call: call.to_string(),
            kernel_shows: shows.to_string(),
            inside: None,
            outside: None,
            errno: None,
            signal: None,
            reached: None,
            size: None,
            exists: None,
            charge: None,
            skipped: None,
            lesson: lesson.to_string(),
        }
    }

    /// The record with more fields set.
    pub fn with(mut self, set: impl FnOnce(&mut Self)) -> Self {
        set(&mut self);
        self
    }

    /// The name a record keeps for a place (`container-place-namespace-a`
    /// is `namespace A`): English in every run.
    pub fn place_named(id: &str) -> String {
        crate::i18n::in_language(crate::i18n::Lang::En, || crate::i18n::t(id))
    }

    /// Where it happened, in the language shmlab speaks (the record keeps
    /// the English name, `namespace A`, as the JSON does not change with the
    /// language).
    pub fn place_in_words(&self) -> String {
        let id = format!("container-place-{}", self.place.to_lowercase().replace(' ', "-"));
        if crate::i18n::has_message(&id) { crate::i18n::t(&id) } else { self.place.clone() }
    }

    /// Whether the lesson says the kernel did not do what the step expects:
    /// it begins with the mark `UNEXPECTED` (`意外` in a Chinese run).
    pub fn unexpected(&self) -> bool {
        crate::i18n::begins_with_message(&self.lesson, "container-unexpected-mark")
    }

    /// `step/id`, as suite files name an observation.
    pub fn path(&self) -> String {
        format!("{}/{}", self.step.name(), self.id)
    }
}
