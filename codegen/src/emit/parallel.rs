//! Independent jobs run on every core, with their results kept in the order of the jobs.
//!
//! Emitting and formatting is most of a generation's work, and it splits into many pieces of
//! similar size (a few dozen type definitions, a few operations, one documentation page), so a
//! shared queue keeps both cores busy until the end, whatever the sizes of the files they add up
//! to. Token streams are not `Send`, so a job builds its tokens on the thread that formats them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One piece of work; it may borrow from the caller.
pub type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Deeply nested schemas make deeply nested syntax trees, so a worker gets the stack a main
/// thread would have.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Runs every job and returns the results in the order of `jobs`. A job that panics is a bug in
/// this crate; it is reported as an error rather than taking the caller down.
pub fn run_in_order<'a, T: Send>(jobs: Vec<Job<'a, T>>) -> Result<Vec<T>, String> {
    let workers = std::thread::available_parallelism().map_or(1, |cores| cores.get()).min(jobs.len());
    let queue: Vec<Mutex<Option<Job<'a, T>>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let results: Vec<Mutex<Option<T>>> = queue.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = queue.get(index) else { break };
        let job = slot.lock().ok().and_then(|mut job| job.take());
        if let Some(job) = job {
            let result = job();
            if let Ok(mut cell) = results[index].lock() {
                *cell = Some(result);
            }
        }
    };
    std::thread::scope(|scope| -> Result<(), String> {
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let handle = std::thread::Builder::new()
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, work)
                .map_err(|error| format!("cannot start a generator thread: {error}"))?;
            handles.push(handle);
        }
        // A panicking worker only stops itself; the others drain the queue, and the job it held
        // shows up below as a missing result.
        for handle in handles {
            let _ = handle.join();
        }
        Ok(())
    })?;
    results
        .into_iter()
        .map(|cell| cell.into_inner().ok().flatten().ok_or_else(|| "internal error: a generator thread panicked".to_string()))
        .collect()
}

/// Runs `main` on this thread and `beside` on another at the same time; both results. For one
/// long job that can overlap a stage that runs on one core. A panic in `beside` is reported as
/// an error, as in [`run_in_order`].
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
