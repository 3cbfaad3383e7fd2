//! Decoder memory shared by 7z blocks decoded at the same time.
//!
//! What a decoder holds is its dictionary window (or model), so a block's need
//! can be estimated from its coders before it starts. Workers start a block
//! only while the estimates of the blocks in flight fit in the request's
//! budget; a block larger than the whole budget runs alone.

use std::sync::{Condvar, Mutex, PoisonError};

use super::jobs::lock;

/// How much decoder memory blocks decoded in parallel may hold together by default.
pub(crate) const PARALLEL_MEMORY_BUDGET: u64 = 160 << 20;

/// Decoder memory shared by the blocks decoded at the same time.
pub(crate) struct Budget {
    limit: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Budget { limit, in_use: Mutex::new(0), freed: Condvar::new() }
    }

    /// Waits until `amount` fits beside what other blocks hold (or nothing
    /// else is held: a block larger than the budget runs alone), then holds
    /// it until the guard is dropped.
    pub(crate) fn take(&self, amount: u64) -> BudgetGuard<'_> {
        let mut in_use = lock(&self.in_use);
        while *in_use > 0 && in_use.saturating_add(amount) > self.limit {
            in_use = self.freed.wait(in_use).unwrap_or_else(PoisonError::into_inner);
        }
        *in_use = in_use.saturating_add(amount);
        BudgetGuard { budget: self, amount }
    }
}

pub(crate) struct BudgetGuard<'a> {
    budget: &'a Budget,
    amount: u64,
}

impl Drop for BudgetGuard<'_> {
    fn drop(&mut self) {
        let mut in_use = lock(&self.budget.in_use);
        *in_use = in_use.saturating_sub(self.amount);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_budget_lets_one_oversized_block_run_alone() {
        let budget = Budget::new(100);
        let big = budget.take(500);
        drop(big);
        let a = budget.take(60);
        let b = std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let _b = budget.take(60);
                *lock(&budget.in_use)
            });
            // Had the waiter not waited for `a`, it would see 120 in use.
            drop(a);
            waiter.join().unwrap()
        });
        assert_eq!(b, 60);
        assert_eq!(*lock(&budget.in_use), 0);
    }
}
