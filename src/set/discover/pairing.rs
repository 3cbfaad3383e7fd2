//! Pairing a renamed installer with its slices. A renamed `.exe` (a
//! browser's `NAME (1).exe`, or anything else) has no slices under its own
//! name: if its Inno Setup header says its data is in slices, it is paired
//! with the slices named by the base name the header records, or failing
//! that with the one family of headless `*-N.bin` slices whose chunk headers
//! fit it. The family records which way was used.
#![warn(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::payload::inno;

use super::Family;

/// Pairs installers without slices of their own with a headless slice family.
pub(super) fn pair_renamed_installers(families: &mut BTreeMap<String, Family>) {
    let orphans: Vec<String> = families
        .iter()
        .filter(|(_, f)| f.exe.is_some() && f.slices.is_empty() && f.lettered.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    for key in orphans {
        let Some(exe) = families[&key].exe.clone() else { continue };
        let Ok(Some(info)) = inno::probe(&exe.path) else { continue };
        if !info.data_in_slices {
            continue;
        }
        let headless: Vec<String> = families
            .iter()
            .filter(|(k, f)| **k != key && f.exe.is_none() && !(f.slices.is_empty() && f.lettered.is_empty()))
            .map(|(k, _)| k.clone())
            .collect();
        let by_name = info.base_filename.as_deref().map(str::to_lowercase).filter(|b| headless.contains(b));
        let (partner, how) = match by_name {
            Some(partner) => {
                let how = format!(
                    "through the base name {:?} stored in the installer",
                    info.base_filename.clone().unwrap_or_default()
                );
                (partner, how)
            }
            None => {
                let fitting: Vec<&String> = headless
                    .iter()
                    .filter(|k| {
                        let family = &families[*k];
                        // Several slices a disk: `NAME-1a.bin` …, in disk then letter order.
                        let named = if info.slices_per_disk > 1 { &family.lettered } else { &family.slices };
                        let slices: Vec<PathBuf> = named.values().map(|f| f.path.clone()).collect();
                        info.fits(&slices)
                    })
                    .collect();
                let [one] = fitting.as_slice() else { continue };
                let base = &families[*one].base;
                let naming = if info.slices_per_disk > 1 { "-1a.bin …" } else { "-N.bin" };
                (
                    (*one).clone(),
                    format!(
                        "through the slice headers: {base}{naming} are the only slices beside it that fit this installer (it has no base name of its own)"
                    ),
                )
            }
        };
        let Some(slices_family) = families.remove(&partner) else { continue };
        if let Some(family) = families.get_mut(&key) {
            family.slices = slices_family.slices;
            family.lettered = slices_family.lettered;
            family.related.extend(slices_family.related);
            family.paired = Some((how, slices_family.base));
        }
    }
}
