//! Independent jobs run on every core, with their results kept in the order of the jobs.
//!
//! Emitting and formatting is most of a generation's work, and it splits into many pieces of
//! similar size (a few dozen type definitions, a few operations, one documentation page), so a
//! shared queue keeps both cores busy until the end, whatever the sizes of the files they add up
//! to. Token streams are not `Send`, so a job builds its tokens on the thread that formats them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// One piece of work; it may borrow from the caller.
pub type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Deeply nested schemas make deeply nested syntax trees, so a worker gets the stack a main
/// thread would have.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Runs every job on every core and hands each result to `consume` on this thread, in the order of
/// `jobs`, as soon as it and every result before it are done. The caller puts results together
/// while later jobs still run, so finished pieces are let go of (and their memory reused) early
/// rather than all held until the last job ends. After `consume` fails, no further job starts and
/// its error is returned. A job that panics is a bug in this crate; it is reported as an error
/// rather than taking the caller down.
pub fn for_each_in_order<'a, T: Send>(jobs: Vec<Job<'a, T>>, mut consume: impl FnMut(T) -> Result<(), String>) -> Result<(), String> {
    let count = jobs.len();
    let workers = std::thread::available_parallelism().map_or(1, |cores| cores.get()).min(count);
    let queue: Vec<Mutex<Option<Job<'a, T>>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| -> Result<(), String> {
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let sender = sender.clone();
            let (queue, next) = (&queue, &next);
            let work = move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = queue.get(index) else { break };
                let job = slot.lock().ok().and_then(|mut job| job.take());
                if let Some(job) = job {
                    if sender.send((index, job())).is_err() {
                        break;
                    }
                }
            };
            let handle = std::thread::Builder::new()
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, work)
                .map_err(|error| format!("cannot start a generator thread: {error}"))?;
            handles.push(handle);
        }
        // Only the workers hold senders now, so receiving ends when the last of them ends.
        drop(sender);
        let mut waiting: Vec<Option<T>> = std::iter::repeat_with(|| None).take(count).collect();
        let mut handed = 0;
        let mut outcome = Ok(());
        for (index, result) in receiver {
            waiting[index] = Some(result);
            while let Some(result) = waiting.get_mut(handed).and_then(Option::take) {
                handed += 1;
                if outcome.is_ok() {
                    outcome = consume(result);
                    if outcome.is_err() {
                        next.store(count, Ordering::Relaxed);
                    }
                }
            }
        }
        // A panicking worker only stops itself; the others drain the queue, and the job it held
        // shows up below as a missing result.
        for handle in handles {
            let _ = handle.join();
        }
        outcome?;
        match handed == count {
            true => Ok(()),
            false => Err("internal error: a generator thread panicked".to_string()),
        }
    })
}

/// A thread with the stack every generator thread gets.
pub fn worker() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(WORKER_STACK_BYTES)
}

/// Runs `main` on this thread and `beside` on another at the same time; both results. For one
/// long job that can overlap a stage that runs on one core. A panic in `beside` is reported as
/// an error, as in [`for_each_in_order`].
pub fn run_beside<'a, A, B: Send + 'a>(main: impl FnOnce() -> A, beside: impl FnOnce() -> B + Send + 'a) -> Result<(A, B), String> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .stack_size(WORKER_STACK_BYTES)
            .spawn_scoped(scope, beside)
            .map_err(|error| format!("cannot start a generator thread: {error}"))?;
        let main = main();
        let beside = thread.join().map_err(|_| "internal error: a generator thread panicked".to_string())?;
        Ok((main, beside))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_in_order<T: Send>(jobs: Vec<Job<'_, T>>) -> Result<Vec<T>, String> {
        let mut results = Vec::new();
        for_each_in_order(jobs, |result| {
            results.push(result);
            Ok(())
        })?;
        Ok(results)
    }

    #[test]
    fn results_keep_the_order_of_the_jobs() {
        let words = ["a", "b", "c", "d", "e", "f", "g"];
        let jobs: Vec<Job<'_, String>> = words.iter().map(|word| Box::new(move || word.repeat(2)) as Job<'_, String>).collect();
        assert_eq!(run_in_order(jobs).unwrap(), ["aa", "bb", "cc", "dd", "ee", "ff", "gg"]);
    }

    #[test]
    fn a_job_beside_runs_while_the_main_one_does() {
        let (tx, rx) = std::sync::mpsc::channel();
        // The main job waits for the one beside it, which only finishes if both run at once.
        let (main, beside) = run_beside(|| rx.recv().unwrap() + 1, move || tx.send(41).unwrap()).unwrap();
        assert_eq!((main, beside), (42, ()));
        let error = run_beside(|| 1, || panic!("a bug beside")).unwrap_err();
        assert!(error.contains("panicked"), "{error}");
    }

    #[test]
    fn results_are_consumed_in_order_while_later_jobs_run() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Mutex::new(rx);
        // The last job waits until the first result has been consumed, which only happens if the
        // first is handed over before every job is done.
        let jobs: Vec<Job<'_, usize>> = vec![
            Box::new(|| 0),
            Box::new(|| 1),
            Box::new(|| {
                rx.lock().unwrap().recv().unwrap();
                2
            }),
        ];
        let mut seen = Vec::new();
        for_each_in_order(jobs, |result| {
            if result == 0 {
                tx.send(()).unwrap();
            }
            seen.push(result);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [0, 1, 2]);
    }

    #[test]
    fn a_failed_consumer_stops_the_jobs_and_is_the_error() {
        let ran = AtomicUsize::new(0);
        let jobs: Vec<Job<'_, usize>> = (0..200_usize)
            .map(|index| {
                let ran = &ran;
                Box::new(move || {
                    ran.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    index
                }) as Job<'_, usize>
            })
            .collect();
        let error = for_each_in_order(jobs, |result| if result == 3 { Err("no room".to_string()) } else { Ok(()) }).unwrap_err();
        assert_eq!(error, "no room");
        assert!(ran.load(Ordering::Relaxed) < 200, "jobs kept starting after the failure");
    }

    #[test]
    fn no_jobs_no_results() {
        assert!(run_in_order::<u8>(Vec::new()).unwrap().is_empty());
    }

    #[test]
    fn a_panicking_job_is_an_error_and_the_others_still_run() {
        let ran = AtomicUsize::new(0);
        let mut jobs: Vec<Job<'_, ()>> = (0..8)
            .map(|_| {
                Box::new(|| {
                    ran.fetch_add(1, Ordering::Relaxed);
                }) as Job<'_, ()>
            })
            .collect();
        jobs.insert(3, Box::new(|| panic!("a bug in a job")));
        let error = run_in_order(jobs).unwrap_err();
        assert!(error.contains("panicked"), "{error}");
        assert_eq!(ran.load(Ordering::Relaxed), 8);
    }
}
