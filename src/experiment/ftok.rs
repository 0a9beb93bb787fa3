//! `shmlab ftok`: how a System V key is made from a file, and what follows.
//!
//! `ftok(path, proj_id)` does not hash the name: it `stat`s the file and
//! packs three numbers into 32 bits, the low 8 bits of `proj_id`, the low 8
//! bits of the device number and the low 16 bits of the inode number. So a
//! hard link, a symbolic link and a rename keep the key (same inode); a
//! file deleted and created again usually gets another one (a new inode,
//! unless the file system hands out the freed number again); and two
//! different files whose inodes agree in their low 16 bits on one device
//! get the same key, so `shmget(IPC_CREAT|IPC_EXCL)` for the second says
//! EEXIST and a plain `shmget` for it finds the first one's segment.
//!
//! The lab shows the parts of the key for the files it is given, then
//! demonstrates each claim with real files in a private temporary
//! directory (registered, so `shmlab clean` removes it after a kill) and
//! real `ftok` and `shmget` calls. The directory goes when the run ends.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::{Events, Lab};
use crate::error::{Error, Param, Result};
use crate::i18n::t;
use crate::kernel::machine::Machine;
use crate::model::FtokRecord;
use crate::region::file::{PrivateDir, private_dir};
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::sys::{Errno, xsi};

/// Files the collision search needs at most: they all stay until the end,
/// so their inode numbers differ, and among 65537 different numbers two
/// must agree in their low 16 bits (the pigeonhole principle).
const COLLISION_FILES: u32 = (1 << 16) + 1;

/// The search runs only where it leaves the file system this many inodes
/// (and 64 MiB) beyond its own, so as not to fill a shared /tmp.
const SPARE_INODES: u64 = COLLISION_FILES as u64;

/// The ftok lab's parameters, for `shmlab ftok` and a suite's `"ftok"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Files whose key to take apart (ftok follows symbolic links)
    #[arg(value_name = "PATH")]
    #[serde(default)]
    pub paths: Vec<PathBuf>,

    /// The ftok project id; only its low 8 bits go into the key
    #[arg(long, default_value_t = super::params::default_proj_id(), value_name = "N")]
    #[serde(default = "super::params::default_proj_id")]
    pub proj_id: i32,

    /// Only the files given, without the demonstration in a temporary directory
    #[arg(long)]
    #[serde(default)]
    pub no_demo: bool,
}

/// The ftok lab.
pub struct Ftok;

impl Lab for Ftok {
    const NAME: &'static str = "ftok";
    type Params = Params;
    type Plan = Params;
    type Record = FtokRecord;

    fn validate(p: &Params, _: &Machine) -> Result<Params> {
        for path in &p.paths {
            std::fs::metadata(path)
                .map_err(|e| Error::usage(crate::tr!("ftok-needs-existing-file", path = path.display(), error = e)))?;
        }
        if p.paths.is_empty() && p.no_demo {
            return Err(Error::usage(crate::tr!("ftok-nothing-to-show", param = Param("no_demo"))));
        }
        Ok(p.clone())
    }

    fn run(plan: &Params, events: &mut dyn Events) -> Result<Vec<FtokRecord>> {
        let mut records = Vec::new();
        for path in &plan.paths {
            let r = key_of("path", path, plan.proj_id)?;
            let lesson = crate::tr!(
                "ftok-path-lesson",
                proj = format!("{:#04x}", plan.proj_id & 0xff),
                dev = format!("{:#04x}", r.dev & 0xff),
                inode = format!("{:#06x}", r.inode & 0xffff),
                path = path.display()
            );
            records.push(FtokRecord { outcome: t("ftok-path-outcome"), lesson, ..r });
        }
        if !plan.no_demo {
            records.extend(demonstrate(plan.proj_id, events)?);
        }
        for r in &records {
            events.finished(&r.clone().into());
        }
        Ok(records)
    }
}

/// `ftok(path, proj_id)` and the key built by hand from the file's numbers.
fn key_of(step: &str, path: &Path, proj_id: i32) -> Result<FtokRecord> {
    let meta = std::fs::metadata(path).map_err(|e| Error::failed(format!("stat {}: {e}", path.display())))?;
    let key = xsi::ftok(path, proj_id)
        .map_err(|errno| Error::sys("ftok", &path.display().to_string(), errno, &t("ftok-pass-stat-file")))?;
    let parts = ((proj_id as u32 & 0xff) << 24) | ((meta.dev() as u32 & 0xff) << 16) | (meta.ino() as u32 & 0xffff);
    Ok(FtokRecord {
        step: step.into(),
        path: path.display().to_string(),
        dev: meta.dev(),
        inode: meta.ino(),
        proj_id,
        key: key.0,
        key_hex: format!("{:#010x}", key.0 as u32),
        key_from_parts: format!("{parts:#010x}"),
        compared_with: None,
        same_key: None,
        outcome: String::new(),
        lesson: String::new(),
    })
}

/// `step`'s key, compared with `earlier`'s.
fn compared(step: &str, path: &Path, earlier: &FtokRecord, outcome: String, lesson: String) -> Result<FtokRecord> {
    let r = key_of(step, path, earlier.proj_id)?;
    let same = r.key == earlier.key;
    Ok(FtokRecord { compared_with: Some(earlier.path.clone()), same_key: Some(same), outcome, lesson, ..r })
}

fn io<'a>(what: &'a str, path: &'a Path) -> impl Fn(std::io::Error) -> Error + 'a {
    move |e| Error::failed(format!("{what} {}: {e}", path.display()))
}

/// Each claim about ftok with real files in a private directory.
fn demonstrate(proj_id: i32, events: &mut dyn Events) -> Result<Vec<FtokRecord>> {
    let dir = private_dir()?;
    let mut records = Vec::new();
    let original = new_file(&dir, "original")?;
    let first = FtokRecord {
        outcome: crate::tr!("ftok-create-outcome", path = original.display()),
        lesson: t("ftok-create-lesson"),
        ..key_of("create", &original, proj_id)?
    };

    let link = dir.path().join("hard-link");
    std::fs::hard_link(&original, &link).map_err(io("link", &link))?;
    let hard = compared("hard-link", &link, &first, t("ftok-hard-link-outcome"), t("ftok-hard-link-lesson"))?;

    let symlink = dir.path().join("symlink");
    std::os::unix::fs::symlink(&original, &symlink).map_err(io("symlink", &symlink))?;
    let soft = compared("symlink", &symlink, &first, t("ftok-symlink-outcome"), t("ftok-symlink-lesson"))?;
    std::fs::remove_file(&symlink).map_err(io("unlink", &symlink))?;

    let renamed = dir.path().join("renamed");
    std::fs::rename(&original, &renamed).map_err(io("rename", &original))?;
    let moved = compared("rename", &renamed, &first, t("ftok-rename-outcome"), t("ftok-rename-lesson"))?;
    records.extend([first.clone(), hard, soft, moved.clone()]);

    // Both names gone, so the inode is freed; then a new file under the old name.
    std::fs::remove_file(&link).map_err(io("unlink", &link))?;
    std::fs::remove_file(&renamed).map_err(io("unlink", &renamed))?;
    let again = new_file(&dir, "renamed")?;
    let recreated = key_of("recreate", &again, proj_id)?;
    let (outcome, lesson) = if recreated.inode == moved.inode {
        (crate::tr!("ftok-recreate-reused", inode = recreated.inode), t("ftok-recreate-reused-lesson"))
    } else {
        (crate::tr!("ftok-recreate-new", old = moved.inode, new = recreated.inode), t("ftok-recreate-new-lesson"))
    };
    records.push(FtokRecord {
        compared_with: Some(moved.path.clone()),
        same_key: Some(recreated.key == moved.key),
        outcome: outcome.clone(),
        lesson,
        ..recreated
    });
    std::fs::remove_file(&again).map_err(io("unlink", &again))?;

    match room_for_collision(dir.path()) {
        Some(why) => {
            let anchor = key_of("collision", dir.path(), proj_id)?;
            records.push(FtokRecord {
                outcome: crate::tr!("ftok-not-tried", why = why),
                lesson: t("ftok-collision-not-tried-lesson"),
                ..anchor
            });
        }
        None => {
            events.note(&crate::tr!("ftok-searching", dir = dir.path().display(), most = COLLISION_FILES));
            records.extend(collide(&dir, proj_id)?);
        }
    }
    Ok(records)
}

/// Why the collision search should not run in `dir`, if it should not:
/// too few free inodes or too little space to leave plenty for others.
fn room_for_collision(dir: &Path) -> Option<String> {
    let (free, total) = crate::sys::fs::free_inodes(dir).ok()?;
    let (space, _) = crate::sys::fs::space(dir).ok()?;
    let needed = u64::from(COLLISION_FILES) + SPARE_INODES;
    if total != 0 && free < needed {
        return Some(crate::tr!("ftok-few-inodes", dir = dir.display(), free = free, needed = needed));
    }
    if space < 64 << 20 {
        return Some(crate::tr!("ftok-little-space", dir = dir.display()));
    }
    None
}

/// A demonstration file by its name in the private directory.
fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn new_file(dir: &PrivateDir, name: &str) -> Result<PathBuf> {
    dir.create_file(name).map(|(path, _)| path)
}

/// Files until two share the key, then what `shmget` makes of that.
fn collide(dir: &PrivateDir, proj_id: i32) -> Result<Vec<FtokRecord>> {
    let started = Instant::now();
    let mut seen: std::collections::HashMap<u64, PathBuf> = std::collections::HashMap::new();
    let mut found = None;
    let mut made = 0u32;
    let mut stopped = None;
    while made < COLLISION_FILES {
        let (path, file) = match dir.create_file(&format!("f{made:06}")) {
            Ok(made) => made,
            Err(e) => {
                stopped = Some(e.to_string());
                break;
            }
        };
        made += 1;
        let ino = file.metadata().map_err(io("fstat", &path))?.ino();
        match seen.entry(ino & 0xffff) {
            std::collections::hash_map::Entry::Occupied(earlier) => {
                found = Some((earlier.get().clone(), path));
                break;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(path);
            }
        }
    }
    let elapsed = started.elapsed();
    let Some((a, b)) = found else {
        let why = stopped.unwrap_or_else(|| crate::tr!("ftok-no-two-agreed", made = made));
        let anchor = key_of("collision", dir.path(), proj_id)?;
        return Ok(vec![FtokRecord {
            outcome: crate::tr!("ftok-no-collision", why = why),
            lesson: t("ftok-no-collision-lesson"),
            ..anchor
        }]);
    };
    // Only the pair stays; the rest go now rather than with the directory.
    for p in seen.values().filter(|p| **p != a) {
        let _ = std::fs::remove_file(p);
    }
    let first = key_of("collision", &a, proj_id)?;
    let second = key_of("collision", &b, proj_id)?;
    let mut records = vec![FtokRecord {
        outcome: crate::tr!("ftok-one-of-pair", name = name(&a)),
        lesson: t("ftok-one-of-pair-lesson"),
        ..first.clone()
    }];
    records.push(compared(
        "collision",
        &b,
        &first,
        crate::tr!(
            "ftok-collision-outcome",
            made = made,
            seconds = format!("{:.2}", elapsed.as_secs_f64()),
            first = first.inode,
            second = second.inode,
            diff = second.inode.abs_diff(first.inode)
        ),
        t("ftok-collision-lesson"),
    )?);
    records.extend(exclusive_create(&first, &b)?);
    Ok(records)
}

/// A segment for the first file's key, then `shmget(IPC_CREAT|IPC_EXCL)`
/// and a plain lookup for the second file's key.
fn exclusive_create(first: &FtokRecord, second: &Path) -> Result<Vec<FtokRecord>> {
    let key_a = XsiKey { path: PathBuf::from(&first.path), proj_id: first.proj_id };
    let other = key_of("exclusive-create", second, first.proj_id)?;
    let segment = match Region::create(Backend::Xsi, &RegionRequest::small(4096, key_a)) {
        Ok(segment) => segment,
        Err(e) if e.errno == Some(Errno::EEXIST) => {
            return Ok(vec![FtokRecord {
                compared_with: Some(first.path.clone()),
                same_key: Some(other.key == first.key),
                outcome: crate::tr!("ftok-key-in-use", key = &first.key_hex),
                lesson: t("ftok-key-in-use-lesson"),
                ..other
            }]);
        }
        Err(e) => return Err(e),
    };
    let shmid_a = xsi::lookup(xsi::Key(first.key)).ok();
    let key_b = XsiKey { path: second.to_path_buf(), proj_id: first.proj_id };
    let exclusive = match Region::create(Backend::Xsi, &RegionRequest::small(4096, key_b)) {
        Err(e) if e.errno == Some(Errno::EEXIST) => {
            crate::tr!("ftok-exclusive-eexist", key = &other.key_hex, name = name(second))
        }
        Err(e) => crate::tr!("ftok-exclusive-error", name = name(second), error = e),
        Ok(unexpected) => {
            drop(unexpected);
            crate::tr!("ftok-exclusive-created", name = name(second))
        }
    };
    let lookup = match xsi::lookup(xsi::Key(other.key)) {
        Ok(id) if Some(id) == shmid_a => {
            crate::tr!("ftok-lookup-first", key = &other.key_hex, name = name(second), shmid = id)
        }
        Ok(id) => crate::tr!("ftok-lookup-other", key = &other.key_hex, name = name(second), shmid = id),
        Err(errno) => crate::tr!(
            "ftok-lookup-failed",
            key = &other.key_hex,
            name = name(second),
            errno = crate::error::errno_text(errno)
        ),
    };
    drop(segment);
    let same = Some(other.key == first.key);
    Ok(vec![
        FtokRecord {
            compared_with: Some(first.path.clone()),
            same_key: same,
            outcome: exclusive,
            lesson: t("ftok-exclusive-lesson"),
            ..other.clone()
        },
        FtokRecord {
            step: "lookup".into(),
            compared_with: Some(first.path.clone()),
            same_key: same,
            outcome: lookup,
            lesson: t("ftok-lookup-lesson"),
            ..other
        },
    ])
}
