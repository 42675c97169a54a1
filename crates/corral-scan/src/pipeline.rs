//! One reader, many scanners: the work queue behind the git modes.
//!
//! Reading git objects is sequential (one repository handle, one pack cursor), while
//! diffing and scanning are the expensive part and parallelise well. A producer on the
//! calling thread reads items and sends them through a small bounded channel to one worker
//! per core; the bound keeps memory flat on repositories with years of history, because the
//! reader waits whenever the scanners fall behind.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, sync_channel};

use crate::error::ScanError;
use crate::file_scan::Collected;

/// Number of worker threads for `requested` (0 = one per available core).
pub(crate) fn thread_count(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism()
        .map(NonZeroUsize::get)
        .unwrap_or(1)
}

/// Runs `produce` on this thread, feeding each item it emits to `work` on `threads` workers.
///
/// `produce` returns what it collected itself (e.g. files skipped before reading); the
/// result merges it with every worker's output.
pub(crate) fn pipeline<T: Send>(
    threads: usize,
    produce: impl FnOnce(&mut dyn FnMut(T)) -> Result<Collected, ScanError>,
    work: impl Fn(T, &mut Collected) + Sync,
) -> Result<Collected, ScanError> {
    let threads = thread_count(threads);
    let (sender, receiver) = sync_channel::<T>(threads * 4);
    let receiver = Mutex::new(receiver);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| drain(&receiver, &work)))
            .collect();
        let produced = produce(&mut |item| {
            // Sending fails only if every worker is gone, i.e. they panicked; the join below
            // reports that.
            let _ = sender.send(item);
        });
        drop(sender);
        let mut collected = Collected::default();
        for worker in workers {
            match worker.join() {
                Ok(part) => collected.merge(part),
                Err(_) => {
                    return Err(ScanError::Git(
                        "a scanning thread stopped unexpectedly".into(),
                    ));
                }
            }
        }
        collected.merge(produced?);
        Ok(collected)
    })
}

fn drain<T>(
    receiver: &Mutex<Receiver<T>>,
    work: &(impl Fn(T, &mut Collected) + Sync),
) -> Collected {
    let mut collected = Collected::default();
    loop {
        let next = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(item) => work(item, &mut collected),
            Err(_) => return collected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_produced_item_is_worked_on_exactly_once() {
        let collected = pipeline(
            3,
            |emit| {
                for i in 0..100u64 {
                    emit(i);
                }
                Ok(Collected::default())
            },
            |item, collected| collected.stats.bytes_scanned += item,
        )
        .unwrap();
        assert_eq!(collected.stats.bytes_scanned, (0..100).sum::<u64>());
    }

    #[test]
    fn a_producer_error_is_returned_after_the_workers_stop() {
        let result = pipeline(
            2,
            |emit| {
                emit(1u64);
                Err(ScanError::Git("broken pack".into()))
            },
            |_, _| {},
        );
        assert!(matches!(result, Err(ScanError::Git(m)) if m == "broken pack"));
    }
}
