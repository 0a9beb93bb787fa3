//! `shmlab list`: the shared memory and semaphores that exist now (like
//! `ipcs -m -s` plus `ls /dev/shm`), with sizes for people, marking what
//! shmlab created (from its registry).

use crate::i18n::t;
use crate::kernel::sysvipc;
use crate::model::Item;
use crate::registry::{self, Entry};
use crate::size::human;
use crate::sys::posix_shm;
use crate::tr;

/// Everything that exists now, and whether shmlab's registry could be read
/// (if not, why: then no object can be marked as shmlab's).
pub fn items() -> (Vec<Item>, Option<String>) {
    let (registered, registry_problem) = match registry::entries() {
        Ok(listed) => (
            listed
                .into_iter()
                .filter_map(|l| match l {
                    registry::Listed::Record(_, r) => Some(r),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.message)),
    };
    let owner = |matches: &dyn Fn(&Entry) -> bool| {
        registered.iter().find(|r| matches(&r.entry)).map(|r| (r.owner_pid, !registry::owner_running(r)))
    };
    let mut out = Vec::new();
    for s in sysvipc::segments() {
        let found = owner(&|e| match e {
            Entry::XsiSegment { shmid: Some(id), .. } => *id == s.shmid,
            Entry::XsiSegment { shmid: None, key, creator_pid } => *key == s.key && *creator_pid == s.cpid,
            _ => false,
        });
        out.push(Item {
            kind: "shm".into(),
            name: format!("{:#010x}", s.key),
            id: Some(s.shmid.0),
            size_bytes: s.size,
            count: s.nattch,
            perms: format!("{:o}", s.perms & 0o777),
            uid: s.uid,
            status: if s.marked_for_removal() { "dest".into() } else { String::new() },
            shmlab_owner: found.map(|(pid, _)| pid),
            left_behind: found.is_some_and(|(_, gone)| gone),
        });
    }
    for s in sysvipc::semaphore_sets() {
        let found = owner(&|e| match e {
            Entry::SemaphoreSet { semid: Some(id), .. } => *id == s.semid,
            Entry::SemaphoreSet { semid: None, key, .. } => !key.is_private() && *key == s.key,
            _ => false,
        });
        out.push(Item {
            kind: "sem".into(),
            name: format!("{:#010x}", s.key),
            id: Some(s.semid.0),
            size_bytes: 0,
            count: u64::from(s.nsems),
            perms: format!("{:o}", s.perms & 0o777),
            uid: s.uid,
            status: String::new(),
            shmlab_owner: found.map(|(pid, _)| pid),
            left_behind: found.is_some_and(|(_, gone)| gone),
        });
    }
    for q in sysvipc::message_queues() {
        let found = owner(&|e| match e {
            Entry::MessageQueue { msqid: Some(id), .. } => *id == q.msqid,
            Entry::MessageQueue { msqid: None, key, .. } => !key.is_private() && *key == q.key,
            _ => false,
        });
        out.push(Item {
            kind: "msg".into(),
            name: format!("{:#010x}", q.key),
            id: Some(q.msqid.0),
            size_bytes: q.cbytes,
            count: q.qnum,
            perms: format!("{:o}", q.perms & 0o777),
            uid: q.uid,
            status: String::new(),
            shmlab_owner: found.map(|(pid, _)| pid),
            left_behind: found.is_some_and(|(_, gone)| gone),
        });
    }
    for entry in std::fs::read_dir(posix_shm::SHM_DIR).into_iter().flatten().flatten() {
        use std::os::unix::fs::MetadataExt;
        let file = entry.file_name().to_string_lossy().to_string();
        let meta = entry.metadata().ok();
        let slash = format!("/{file}");
        let sem_name = file.strip_prefix("sem.").map(|n| format!("/{n}"));
        let found = owner(&|e| match e {
            Entry::PosixShm { name, .. } => *name == slash,
            Entry::NamedSemaphore { name, .. } => Some(name) == sem_name.as_ref(),
            _ => false,
        });
        out.push(Item {
            kind: "posix".into(),
            name: posix_shm::object_path(&file),
            id: None,
            size_bytes: meta.as_ref().map_or(0, |m| m.len()),
            count: 0,
            perms: meta.as_ref().map_or(String::new(), |m| format!("{:o}", m.mode() & 0o777)),
            uid: meta.as_ref().map_or(0, |m| m.uid()),
            status: String::new(),
            shmlab_owner: found.map(|(pid, _)| pid),
            left_behind: found.is_some_and(|(_, gone)| gone),
        });
    }
    // Memory cgroups: only shmlab's are listed (a machine has hundreds of
    // others), with their charge and how many processes they hold.
    for r in &registered {
        use std::os::unix::fs::MetadataExt;
        let Entry::Cgroup { path, .. } = &r.entry else { continue };
        let dir = std::path::Path::new(path);
        let Ok(meta) = std::fs::symlink_metadata(dir) else { continue };
        let read = |file: &str| std::fs::read_to_string(dir.join(file)).ok();
        use crate::kernel::{cgroup::Version, memcg::usage_file};
        let charged = read(usage_file(Version::V2)).or_else(|| read(usage_file(Version::V1)));
        out.push(Item {
            kind: "cgroup".into(),
            name: path.clone(),
            id: None,
            size_bytes: charged.and_then(|t| t.trim().parse().ok()).unwrap_or(0),
            count: read("cgroup.procs").map_or(0, |t| t.lines().count() as u64),
            perms: format!("{:o}", meta.mode() & 0o777),
            uid: meta.uid(),
            status: String::new(),
            shmlab_owner: Some(r.owner_pid),
            left_behind: !registry::owner_running(r),
        });
    }
    (out, registry_problem)
}

pub fn table(items: &[Item], layout: crate::report::table::Layout) -> String {
    if items.is_empty() {
        return t("list-nothing");
    }
    let mut b = crate::report::grid::Grid::new([
        t("list-kind"),
        t("list-key-name"),
        "id".to_string(),
        t("list-size"),
        "nattch / nsems".to_string(),
        "perms".to_string(),
        "uid".to_string(),
        "status".to_string(),
        "shmlab".to_string(),
    ])
    .keys(2);
    for i in items {
        b.row([
            i.kind.clone(),
            i.name.clone(),
            i.id.map(|v| v.to_string()).unwrap_or_default(),
            if i.kind == "sem" { String::new() } else { human(i.size_bytes) },
            if i.kind == "posix" { String::new() } else { i.count.to_string() },
            i.perms.clone(),
            i.uid.to_string(),
            i.status.clone(),
            match (i.shmlab_owner, i.left_behind) {
                (Some(pid), false) => tr!("list-ours", pid = pid),
                (Some(pid), true) => tr!("list-left-behind", pid = pid),
                (None, _) => String::new(),
            },
        ]);
    }
    let table = b.render(layout.width);
    let ours = items.iter().filter(|i| i.shmlab_owner.is_some()).count();
    let left = items.iter().filter(|i| i.left_behind).count();
    let summary = match left {
        0 => tr!("list-summary", objects = items.len(), ours = ours),
        n => tr!("list-summary-leftovers", objects = items.len(), ours = ours, left = n),
    };
    layout.wrap(&format!("{table}\n{summary}"))
}
