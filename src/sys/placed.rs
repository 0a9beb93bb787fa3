//! Proof that a process-shared primitive was initialised in shared memory.
//!
//! A pthread mutex or an unnamed semaphore lives in the shared region: one
//! process initialises it (`pthread_mutex_init`, `sem_init`), every process
//! then uses it through its own mapping. Using those bytes before they were
//! initialised, or through a mapping of some other object, is undefined
//! behaviour in C and in Rust. So `init` returns a [`Placed`] token (the
//! offset and the object it was initialised in), and the only way to use
//! the primitive is to hand that token back together with a mapping of the
//! same object, which the view then borrows: the type system keeps a view
//! from preceding its initialisation or outliving its mapping.
//!
//! The token is plain data, so a child forked after `init` inherits it;
//! what it cannot be is forged (its fields are private to this module).

use std::marker::PhantomData;

use super::Errno;
use super::mman::{Mapping, ObjectId};

/// "A `T` was initialised at `offset` of `object`."
pub struct Placed<T> {
    offset: usize,
    object: ObjectId,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Placed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Placed<T> {}

impl<T> std::fmt::Debug for Placed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Placed({} at {} of {:?})", std::any::type_name::<T>(), self.offset, self.object)
    }
}

impl<T> Placed<T> {
    /// Only `init` functions in `crate::sys` make tokens, right after the
    /// initialising call succeeded.
    pub(super) fn new(mapping: &Mapping, offset: usize) -> Self {
        Self { offset, object: mapping.object(), _kind: PhantomData }
    }

    /// The address of the primitive in `mapping`, which must show the object
    /// it was initialised in (EINVAL otherwise).
    pub(super) fn locate(&self, mapping: &Mapping, size: usize) -> Result<*mut u8, Errno> {
        if mapping.object() != self.object {
            return Err(Errno::EINVAL);
        }
        Ok(mapping.byte_ptr(self.offset, size))
    }
}
