//! `shmlab inspect`: create one object per backend and show what the kernel
//! itself says about it (maps, smaps, /proc/sysvipc/shm, /proc/self/fd),
//! not what shmlab believes. Every kind turns out to be a file: in the
//! kernel's internal shmem (tmpfs) mount, in /dev/shm, on hugetlbfs, or a
//! real file for mmap-file.

use serde::{Deserialize, Serialize};

use super::params::{Choice, Huge, any, choice_parser, huge_parser, xsi_key};
use super::{Events, Lab};
use crate::error::{Error, Param, Result};
use crate::kernel::hugepages::HugePageSize;
use crate::kernel::machine::Machine;
use crate::kernel::maps::{self};
use crate::kernel::sysvipc;
use crate::model::InspectRecord;
use crate::region::{Backend, Region, RegionRequest, XsiKey};

/// inspect's own ftok project id: not the racing lab's 1234, so that
/// inspect can run while a racing or memory run holds that key.
pub const DEFAULT_PROJ_ID: i32 = 105;

fn default_proj_id() -> i32 {
    DEFAULT_PROJ_ID
}

/// The inspect lab's parameters, for `shmlab inspect` and a suite's `"inspect"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Backend to inspect (repeatable; `all`) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = choice_parser::<Backend>(any))]
    #[serde(default)]
    pub backends: Vec<Choice<Backend>>,

    /// Every backend (the same as --backend all; with huge pages, every one that can have them)
    #[arg(long)]
    #[serde(default)]
    pub all: bool,

    /// Page size: none, 2M or 1G (mmap, xsi, xsi-private and memfd only)
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    #[serde(default)]
    pub huge: Huge,

    /// ftok project id for the xsi key (low 8 bits, not 0). Not the racing lab's 1234, so that
    /// inspect can run while a racing or memory run holds that key
    #[arg(long, default_value_t = DEFAULT_PROJ_ID, value_name = "N")]
    #[serde(default = "default_proj_id")]
    pub proj_id: i32,
}

/// A validated inspection.
#[derive(Debug, Clone)]
pub struct InspectPlan {
    pub backends: Vec<Backend>,
    pub huge: Option<HugePageSize>,
    pub xsi_key: XsiKey,
}

/// The inspect lab.
pub struct Inspect;

impl Lab for Inspect {
    const NAME: &'static str = "inspect";
    type Params = Params;
    type Plan = InspectPlan;
    type Record = InspectRecord;

    fn validate(p: &Params, _: &Machine) -> Result<InspectPlan> {
        let mut backends = Choice::expand(&p.backends, &Backend::ALL, &[Backend::Mmap]);
        if p.all {
            backends = Backend::ALL.to_vec();
        }
        if p.huge.0.is_some() {
            if p.all {
                backends.retain(|b| b.supports_huge_pages());
            } else {
                Backend::refuse_huge_pages(&backends)?;
            }
        }
        let xsi_key = if backends.contains(&Backend::Xsi) {
            xsi_key(&super::params::default_key_path(), p.proj_id)?
        } else {
            XsiKey::default()
        };
        Ok(InspectPlan { backends, huge: p.huge.0, xsi_key })
    }

    fn run(plan: &InspectPlan, events: &mut dyn Events) -> Result<Vec<InspectRecord>> {
        run(&plan.backends, plan.huge, &plan.xsi_key, |r| events.finished(&r.clone().into()))
    }
}

/// Inspects each backend in turn (each object is removed before the next).
fn run(
    backends: &[Backend],
    huge: Option<HugePageSize>,
    xsi_key: &XsiKey,
    mut on_record: impl FnMut(&InspectRecord),
) -> Result<Vec<InspectRecord>> {
    let size = huge.map_or(1 << 20, |h| h.bytes());
    // Using pool pages: hold the pool shared so no other shmlab run changes it meanwhile.
    let _using = huge.map(|h| crate::kernel::hugepages::claim(h, false)).transpose()?;
    if let Some(h) = huge {
        let pool = crate::kernel::hugepages::pool(h)?;
        if pool.unreserved() < 1 {
            return Err(Error::unavailable(crate::tr!(
                "inspect-needs-huge-page",
                param = Param("huge"),
                size = h.name(),
                command = h.pool_command(pool.nr + 1)
            )));
        }
    }
    let mut out = Vec::new();
    for &backend in backends {
        crate::error::check_interrupt()?;
        let request = RegionRequest {
            size: size as usize,
            huge_page_bytes: huge.map(|h| h.bytes() as usize),
            xsi_key: xsi_key.clone(),
            backing: crate::region::Backing::UpFront,
        };
        let region = Region::create(backend, &request)?;
        // Touch every page so that Rss and Shared_Dirty have something to show.
        crate::experiment::memory::touch(&region, size as usize)?;
        let mapping = maps::find("self", region.mapping().address()).unwrap_or_default();
        let sysvipc_row = sysvipc::segments()
            .into_iter()
            .find(|s| mapping.inode == s.shmid.0 as u64 && mapping.path.contains("SYSV"))
            .map(|s| {
                format!(
                    "key {:#010x} shmid {} perms {:o} size {} nattch {} cpid {}",
                    s.key, s.shmid, s.perms, s.size, s.nattch, s.cpid
                )
            });
        let base = mapping.path.trim_end_matches(" (deleted)").to_string();
        let descriptors =
            maps::descriptors(|t| !base.is_empty() && (t == base || t.trim_end_matches(" (deleted)") == base));
        let record = InspectRecord {
            backend,
            huge: huge.map_or("none", |h| h.name()).to_string(),
            size_bytes: size,
            lives_in: lives_in(&mapping.path, huge.is_some()),
            mapping,
            sysvipc_row,
            descriptors,
        };
        on_record(&record);
        out.push(record);
    }
    Ok(out)
}

fn lives_in(path: &str, huge: bool) -> String {
    let place = if huge {
        "inspect-lives-hugetlbfs"
    } else if path.starts_with("/dev/zero") {
        "inspect-lives-dev-zero"
    } else if path.starts_with("/SYSV") {
        "inspect-lives-sysv"
    } else if path.starts_with("/dev/shm/") {
        "inspect-lives-dev-shm"
    } else if path.starts_with("/memfd:") {
        "inspect-lives-memfd"
    } else {
        "inspect-lives-regular-file"
    };
    crate::i18n::t(place)
}
