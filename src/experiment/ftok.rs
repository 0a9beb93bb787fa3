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
            std::fs::metadata(path).map_err(|e| {
                Error::usage(format!(
                    "{}: {e}; ftok needs a file that exists (it takes the file's inode, not its name)",
                    path.display()
                ))
            })?;
        }
        if p.paths.is_empty() && p.no_demo {
            return Err(Error::usage(format!(
                "{} leaves nothing to show: name files to take apart, or leave out {}",
                Param("no_demo"),
                Param("no_demo")
            )));
        }
        Ok(p.clone())
    }

    fn run(plan: &Params, events: &mut dyn Events) -> Result<Vec<FtokRecord>> {
        let mut records = Vec::new();
        for path in &plan.paths {
            let r = key_of("path", path, plan.proj_id)?;
            let lesson = format!(
                "the key is proj_id's low byte {:#04x}, the device's low byte {:#04x} and the inode's low 16 bits \
                 {:#06x}; the name {} plays no part",
                plan.proj_id & 0xff,
                r.dev & 0xff,
                r.inode & 0xffff,
                path.display()
            );
            records.push(FtokRecord { outcome: "ftok read the file's device and inode".into(), lesson, ..r });
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
        .map_err(|errno| Error::sys("ftok", &path.display().to_string(), errno, "pass a file you can stat"))?;
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
fn compared(step: &str, path: &Path, earlier: &FtokRecord, outcome: String, lesson: &str) -> Result<FtokRecord> {
    let r = key_of(step, path, earlier.proj_id)?;
    let same = r.key == earlier.key;
    Ok(FtokRecord {
        compared_with: Some(earlier.path.clone()),
        same_key: Some(same),
        outcome,
        lesson: lesson.into(),
        ..r
    })
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
        outcome: format!("created {} in a private directory", original.display()),
        lesson: "the file's device and inode numbers are now the key's material".into(),
        ..key_of("create", &original, proj_id)?
    };

    let link = dir.path().join("hard-link");
    std::fs::hard_link(&original, &link).map_err(io("link", &link))?;
    let hard = compared(
        "hard-link",
        &link,
        &first,
        "link(original, hard-link): a second name for the same inode".to_string(),
        "a hard link is the same inode under another name: the same key",
    )?;

    let symlink = dir.path().join("symlink");
    std::os::unix::fs::symlink(&original, &symlink).map_err(io("symlink", &symlink))?;
    let soft = compared(
        "symlink",
        &symlink,
        &first,
        "symlink(original, symlink): ftok's stat follows it".to_string(),
        "ftok follows a symbolic link to its target: the target's key",
    )?;
    std::fs::remove_file(&symlink).map_err(io("unlink", &symlink))?;

    let renamed = dir.path().join("renamed");
    std::fs::rename(&original, &renamed).map_err(io("rename", &original))?;
    let moved = compared(
        "rename",
        &renamed,
        &first,
        "rename(original, renamed): the inode keeps its number".to_string(),
        "a rename changes the name, not the inode: the same key",
    )?;
    records.extend([first.clone(), hard, soft, moved.clone()]);

    // Both names gone, so the inode is freed; then a new file under the old name.
    std::fs::remove_file(&link).map_err(io("unlink", &link))?;
    std::fs::remove_file(&renamed).map_err(io("unlink", &renamed))?;
    let again = new_file(&dir, "renamed")?;
    let recreated = key_of("recreate", &again, proj_id)?;
    let (outcome, lesson) = if recreated.inode == moved.inode {
        (
            format!("deleted and created again: the file system gave out the freed inode {} again", recreated.inode),
            "usually a new file means a new key, but here the inode number was reused, so the key is the same: \
             a program that deletes and recreates its key file may or may not find its old segment",
        )
    } else {
        (
            format!("deleted and created again: inode {} became {}", moved.inode, recreated.inode),
            "a new file is a new inode: programs that recreate their key file lose their old segment's key",
        )
    };
    records.push(FtokRecord {
        compared_with: Some(moved.path.clone()),
        same_key: Some(recreated.key == moved.key),
        outcome: outcome.clone(),
        lesson: lesson.into(),
        ..recreated
    });
    std::fs::remove_file(&again).map_err(io("unlink", &again))?;

    match room_for_collision(dir.path()) {
        Some(why) => {
            let anchor = key_of("collision", dir.path(), proj_id)?;
            records.push(FtokRecord {
                outcome: format!("not tried: {why}"),
                lesson: "keys collide when two inodes on one device agree in their low 16 bits; finding a pair \
                         takes up to 65537 files"
                    .into(),
                ..anchor
            });
        }
        None => {
            events.note(&format!(
                "creating empty files in {} until two inodes agree in their low 16 bits (at most {COLLISION_FILES})",
                dir.path().display()
            ));
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
        return Some(format!(
            "{} has {free} free inodes, fewer than the {needed} the search and a safe margin need; set TMPDIR to a \
             roomier file system",
            dir.display()
        ));
    }
    if space < 64 << 20 {
        return Some(format!("{} has less than 64 MiB free; set TMPDIR to a roomier file system", dir.display()));
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
        let why = stopped.unwrap_or_else(|| format!("no two of {made} inodes agreed in their low 16 bits"));
        let anchor = key_of("collision", dir.path(), proj_id)?;
        return Ok(vec![FtokRecord {
            outcome: format!("no collision found: {why}"),
            lesson: "keys collide when two inodes on one device agree in their low 16 bits; this file system \
                     did not hand out such a pair here"
                .into(),
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
        outcome: format!("{} is one of a pair", name(&a)),
        lesson: "the first of two files that share a key".into(),
        ..first.clone()
    }];
    records.push(compared(
        "collision",
        &b,
        &first,
        format!(
            "{made} files in {:.2} s: inodes {} and {} differ by {} but agree in their low 16 bits",
            elapsed.as_secs_f64(),
            first.inode,
            second.inode,
            second.inode.abs_diff(first.inode)
        ),
        "two different files, one key: ftok keeps only 16 bits of the inode",
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
                outcome: format!("not tried: key {} already has a segment this run did not create", first.key_hex),
                lesson: "the shared key is already in use on this machine, which is the point".into(),
                ..other
            }]);
        }
        Err(e) => return Err(e),
    };
    let shmid_a = xsi::lookup(xsi::Key(first.key)).ok();
    let key_b = XsiKey { path: second.to_path_buf(), proj_id: first.proj_id };
    let exclusive = match Region::create(Backend::Xsi, &RegionRequest::small(4096, key_b)) {
        Err(e) if e.errno == Some(Errno::EEXIST) => {
            format!("shmget({}, 4096, IPC_CREAT|IPC_EXCL|0600) for {}: EEXIST", other.key_hex, name(second))
        }
        Err(e) => format!("shmget for {}: {e}", name(second)),
        Ok(unexpected) => {
            drop(unexpected);
            format!("shmget for {} created a second segment: the keys were not the same after all", name(second))
        }
    };
    let lookup = match xsi::lookup(xsi::Key(other.key)) {
        Ok(id) if Some(id) == shmid_a => {
            format!("shmget({}, 0, 0) for {}: shmid {id}, the first file's segment", other.key_hex, name(second))
        }
        Ok(id) => format!("shmget({}, 0, 0) for {}: shmid {id}", other.key_hex, name(second)),
        Err(errno) => {
            format!("shmget({}, 0, 0) for {}: {}", other.key_hex, name(second), crate::error::errno_text(errno))
        }
    };
    drop(segment);
    let same = Some(other.key == first.key);
    Ok(vec![
        FtokRecord {
            compared_with: Some(first.path.clone()),
            same_key: same,
            outcome: exclusive,
            lesson: "a program keyed on the second file is told its key is taken, by a segment made for another \
                     file"
                .into(),
            ..other.clone()
        },
        FtokRecord {
            step: "lookup".into(),
            compared_with: Some(first.path.clone()),
            same_key: same,
            outcome: lookup,
            lesson: "without IPC_EXCL it would silently attach to the other program's segment".into(),
            ..other
        },
    ])
}
