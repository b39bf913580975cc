//! The sort behind `list.sort` and `sorted`: CPython 3.11's timsort (natural runs
//! extended by binary insertion to `minrun`, merged by the powersort policy, with
//! galloping merges), described in CPython's Objects/listsort.txt.
//!
//! It is reproduced step for step, not just its result: a Python `__lt__` can print,
//! count its calls or raise, so a sort must ask `<` of the same pairs in the same order
//! as CPython, and leave the same permutation behind when a comparison raises. A
//! comparison that is not a consistent order (random results, NaN) is no error here,
//! as in CPython: every step only moves elements, so the result is always some
//! permutation of the input.
//!
//! The sort permutes `v` (indices into the caller's keys); `lt(x, y)` answers
//! `keys[x] < keys[y]`. The caller picks `lt`: plain machine compares when every key is
//! a small int, a float or a str (CPython's pre-sort type check does the same), else
//! Python's `<`.

const MIN_GALLOP: usize = 7;

#[derive(Clone, Copy)]
struct Run {
    base: usize,
    len: usize,
    /// The run's depth in the conceptual merge tree (powersort).
    power: u32,
}

struct MergeState<'a, F> {
    v: &'a mut [usize],
    lt: F,
    min_gallop: usize,
    /// Scratch for the smaller run of a merge.
    tmp: Vec<usize>,
    pending: Vec<Run>,
}

/// Sort `v` stably by `lt`. On an error from `lt` the sort stops at once; `v` is then a
/// permutation of its input (the one CPython would leave).
pub fn timsort<E>(v: &mut [usize], lt: impl FnMut(usize, usize) -> Result<bool, E>) -> Result<(), E> {
    let n = v.len();
    if n < 2 {
        return Ok(());
    }
    let mut ms = MergeState { v, lt, min_gallop: MIN_GALLOP, tmp: Vec::new(), pending: Vec::new() };
    let minrun = compute_minrun(n);
    let mut lo = 0;
    let mut remaining = n;
    while remaining > 0 {
        let (mut run, descending) = ms.count_run(lo, lo + remaining)?;
        if descending {
            ms.v[lo..lo + run].reverse();
        }
        if run < minrun {
            let force = remaining.min(minrun);
            ms.binary_sort(lo, lo + force, lo + run)?;
            run = force;
        }
        ms.found_new_run(run, n)?;
        ms.pending.push(Run { base: lo, len: run, power: 0 });
        lo += run;
        remaining -= run;
    }
    // Merge whatever is left, always the smaller neighbour first.
    while ms.pending.len() > 1 {
        let mut i = ms.pending.len() - 2;
        if i > 0 && ms.pending[i - 1].len < ms.pending[i + 1].len {
            i -= 1;
        }
        ms.merge_at(i)?;
    }
    Ok(())
}

/// Natural runs shorter than this are extended by binary insertion: n itself below 64,
/// else a value in 32..=64 such that n / minrun is just below a power of two.
fn compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// The power of the run [s1, s1 + n1) followed by one of length n2, in a list of n:
/// the first bit where the binary fractions of the two runs' midpoints (over n) differ.
fn powerloop(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    // Twice the midpoints, so they are integers.
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    let mut power = 0;
    loop {
        power += 1;
        if a >= n {
            a -= n;
            b -= n;
        } else if b >= n {
            return power;
        }
        a <<= 1;
        b <<= 1;
    }
}

/// Where `key` goes in the sorted `a`, left of any equal elements, searching outwards
/// from `hint` by doubling steps, then by bisection.
fn gallop_left<E>(lt: &mut impl FnMut(usize, usize) -> Result<bool, E>, key: usize, a: &[usize], hint: usize) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    let (mut lastofs, mut ofs): (isize, isize) = (0, 1);
    if lt(a[hint as usize], key)? {
        // a[hint] < key: gallop right until a[hint + lastofs] < key <= a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(a[(hint + ofs) as usize], key)? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    } else {
        // key <= a[hint]: gallop left until a[hint - ofs] < key <= a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(a[(hint - ofs) as usize], key)? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    }
    // Now a[lastofs] < key <= a[ofs]: bisect the gap.
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(a[m as usize], key)? {
            lastofs = m + 1;
        } else {
            ofs = m;
        }
    }
    Ok(ofs as usize)
}

/// As `gallop_left`, but right of any elements equal to `key`.
fn gallop_right<E>(lt: &mut impl FnMut(usize, usize) -> Result<bool, E>, key: usize, a: &[usize], hint: usize) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    let (mut lastofs, mut ofs): (isize, isize) = (0, 1);
    if lt(key, a[hint as usize])? {
        // key < a[hint]: gallop left until a[hint - ofs] <= key < a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(key, a[(hint - ofs) as usize])? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    } else {
        // a[hint] <= key: gallop right until a[hint + lastofs] <= key < a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(key, a[(hint + ofs) as usize])? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    }
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(key, a[m as usize])? {
            ofs = m;
        } else {
            lastofs = m + 1;
        }
    }
    Ok(ofs as usize)
}

/// How a merge loop ended (CPython's Succeed / CopyA / CopyB / Fail labels).
enum End<E> {
    Done,
    Copy,
    Fail(E),
}

impl<E> End<E> {
    fn result(self) -> Result<(), E> {
        match self {
            End::Fail(e) => Err(e),
            _ => Ok(()),
        }
    }
}

impl<F, E> MergeState<'_, F>
where
    F: FnMut(usize, usize) -> Result<bool, E>,
{
    /// The run starting at `lo` (before `hi`): non-descending, or strictly descending
    /// (so reversing it keeps the sort stable). Returns its length and direction.
    fn count_run(&mut self, lo: usize, hi: usize) -> Result<(usize, bool), E> {
        if lo + 1 == hi {
            return Ok((1, false));
        }
        let v = &*self.v;
        let mut p = lo + 2;
        if (self.lt)(v[lo + 1], v[lo])? {
            while p < hi && (self.lt)(v[p], v[p - 1])? {
                p += 1;
            }
            Ok((p - lo, true))
        } else {
            while p < hi && !(self.lt)(v[p], v[p - 1])? {
                p += 1;
            }
            Ok((p - lo, false))
        }
    }

    /// Binary insertion of v[start..hi] into the sorted v[lo..start].
    fn binary_sort(&mut self, lo: usize, hi: usize, start: usize) -> Result<(), E> {
        let mut start = if start == lo { start + 1 } else { start };
        while start < hi {
            let pivot = self.v[start];
            let (mut l, mut r) = (lo, start);
            while l < r {
                let p = l + ((r - l) >> 1);
                if (self.lt)(pivot, self.v[p])? {
                    r = p;
                } else {
                    l = p + 1;
                }
            }
            self.v.copy_within(l..start, l + 1);
            self.v[l] = pivot;
            start += 1;
        }
        Ok(())
    }

    /// A run of length n2 follows the topmost pending one: merge the runs below whose
    /// power is greater than the new boundary's (powersort).
    fn found_new_run(&mut self, n2: usize, listlen: usize) -> Result<(), E> {
        if let Some(top) = self.pending.last().copied() {
            let power = powerloop(top.base, top.len, n2, listlen);
            while self.pending.len() > 1 && self.pending[self.pending.len() - 2].power > power {
                self.merge_at(self.pending.len() - 2)?;
            }
            if let Some(top) = self.pending.last_mut() {
                top.power = power;
            }
        }
        Ok(())
    }

    /// Merge pending runs i and i + 1 (i is the second- or third-last).
    fn merge_at(&mut self, i: usize) -> Result<(), E> {
        let Run { base: a, len: na, .. } = self.pending[i];
        let Run { base: b, len: nb, .. } = self.pending[i + 1];
        self.pending[i].len = na + nb;
        if i + 3 == self.pending.len() {
            self.pending[i + 1] = self.pending[i + 2];
        }
        self.pending.pop();
        // Elements of a before where b's first belongs are already in place.
        let k = gallop_right(&mut self.lt, self.v[b], &self.v[a..a + na], 0)?;
        let (a, na) = (a + k, na - k);
        if na == 0 {
            return Ok(());
        }
        // Elements of b after where a's last belongs are already in place.
        let nb = gallop_left(&mut self.lt, self.v[a + na - 1], &self.v[b..b + nb], nb - 1)?;
        if nb == 0 {
            return Ok(());
        }
        if na <= nb {
            self.merge_lo(a, na, b, nb)
        } else {
            self.merge_hi(a, na, b, nb)
        }
    }

    /// Merge v[a..a+na] and v[b..b+nb] (b == a + na, na <= nb) left to right, with the
    /// a run copied out to `tmp`.
    fn merge_lo(&mut self, a: usize, mut na: usize, b: usize, mut nb: usize) -> Result<(), E> {
        self.tmp.clear();
        self.tmp.extend_from_slice(&self.v[a..a + na]);
        let (mut dest, mut pa, mut pb) = (a, 0usize, b);
        let v = &mut *self.v;
        let tmp = &self.tmp;
        let lt = &mut self.lt;
        v[dest] = v[pb];
        dest += 1;
        pb += 1;
        nb -= 1;
        let mut min_gallop = self.min_gallop;
        let end: End<E> = 'merge: {
            if nb == 0 {
                break 'merge End::Done;
            }
            if na == 1 {
                break 'merge End::Copy;
            }
            loop {
                let (mut acount, mut bcount) = (0usize, 0usize);
                // One element at a time until one run keeps winning.
                loop {
                    let k = match lt(v[pb], tmp[pa]) {
                        Ok(k) => k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    if k {
                        v[dest] = v[pb];
                        dest += 1;
                        pb += 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 0 {
                            break 'merge End::Done;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    } else {
                        v[dest] = tmp[pa];
                        dest += 1;
                        pa += 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 1 {
                            break 'merge End::Copy;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    }
                }
                // Galloping: move whole stretches while either run wins by MIN_GALLOP.
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = match gallop_right(lt, v[pb], &tmp[pa..pa + na], 0) {
                        Ok(k) => k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    acount = k;
                    if k > 0 {
                        v[dest..dest + k].copy_from_slice(&tmp[pa..pa + k]);
                        dest += k;
                        pa += k;
                        na -= k;
                        if na == 1 {
                            break 'merge End::Copy;
                        }
                        // Only an inconsistent comparison can empty a here.
                        if na == 0 {
                            break 'merge End::Done;
                        }
                    }
                    v[dest] = v[pb];
                    dest += 1;
                    pb += 1;
                    nb -= 1;
                    if nb == 0 {
                        break 'merge End::Done;
                    }
                    let k = match gallop_left(lt, tmp[pa], &v[pb..pb + nb], 0) {
                        Ok(k) => k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    bcount = k;
                    if k > 0 {
                        v.copy_within(pb..pb + k, dest);
                        dest += k;
                        pb += k;
                        nb -= k;
                        if nb == 0 {
                            break 'merge End::Done;
                        }
                    }
                    v[dest] = tmp[pa];
                    dest += 1;
                    pa += 1;
                    na -= 1;
                    if na == 1 {
                        break 'merge End::Copy;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                // Leaving galloping mode costs: it is entered less readily next time.
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        if let End::Copy = end {
            // a's last element belongs after all of b's rest.
            v.copy_within(pb..pb + nb, dest);
            v[dest + nb] = tmp[pa];
            return Ok(());
        }
        // Done or failed: what is left of a goes back in place either way.
        v[dest..dest + na].copy_from_slice(&tmp[pa..pa + na]);
        end.result()
    }

    /// Merge v[a..a+na] and v[b..b+nb] (b == a + na, na > nb) right to left, with the
    /// b run copied out to `tmp`. Positions move down, so they are kept as isize.
    fn merge_hi(&mut self, a: usize, mut na: usize, b: usize, mut nb: usize) -> Result<(), E> {
        self.tmp.clear();
        self.tmp.extend_from_slice(&self.v[b..b + nb]);
        let v = &mut *self.v;
        let tmp = &self.tmp;
        let lt = &mut self.lt;
        let (mut dest, mut pa, mut pb) = ((b + nb - 1) as isize, (a + na - 1) as isize, nb as isize - 1);
        let at = |i: isize| i as usize;
        v[at(dest)] = v[at(pa)];
        dest -= 1;
        pa -= 1;
        na -= 1;
        let mut min_gallop = self.min_gallop;
        let end: End<E> = 'merge: {
            if na == 0 {
                break 'merge End::Done;
            }
            if nb == 1 {
                break 'merge End::Copy;
            }
            loop {
                let (mut acount, mut bcount) = (0usize, 0usize);
                loop {
                    let k = match lt(tmp[at(pb)], v[at(pa)]) {
                        Ok(k) => k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    if k {
                        v[at(dest)] = v[at(pa)];
                        dest -= 1;
                        pa -= 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 0 {
                            break 'merge End::Done;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    } else {
                        v[at(dest)] = tmp[at(pb)];
                        dest -= 1;
                        pb -= 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 1 {
                            break 'merge End::Copy;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = match gallop_right(lt, tmp[at(pb)], &v[a..a + na], na - 1) {
                        Ok(k) => na - k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    acount = k;
                    if k > 0 {
                        dest -= k as isize;
                        pa -= k as isize;
                        v.copy_within(at(pa + 1)..at(pa + 1) + k, at(dest + 1));
                        na -= k;
                        if na == 0 {
                            break 'merge End::Done;
                        }
                    }
                    v[at(dest)] = tmp[at(pb)];
                    dest -= 1;
                    pb -= 1;
                    nb -= 1;
                    if nb == 1 {
                        break 'merge End::Copy;
                    }
                    let k = match gallop_left(lt, v[at(pa)], &tmp[..nb], nb - 1) {
                        Ok(k) => nb - k,
                        Err(e) => break 'merge End::Fail(e),
                    };
                    bcount = k;
                    if k > 0 {
                        dest -= k as isize;
                        pb -= k as isize;
                        v[at(dest + 1)..at(dest + 1) + k].copy_from_slice(&tmp[at(pb + 1)..at(pb + 1) + k]);
                        nb -= k;
                        if nb == 1 {
                            break 'merge End::Copy;
                        }
                        // Only an inconsistent comparison can empty b here.
                        if nb == 0 {
                            break 'merge End::Done;
                        }
                    }
                    v[at(dest)] = v[at(pa)];
                    dest -= 1;
                    pa -= 1;
                    na -= 1;
                    if na == 0 {
                        break 'merge End::Done;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        if let End::Copy = end {
            // b's first element belongs before all of a's rest.
            let start = at(dest + 1) - na;
            v.copy_within(at(pa + 1) - na..at(pa + 1), start);
            v[start - 1] = tmp[at(pb)];
            return Ok(());
        }
        // Done or failed: what is left of b goes back in place either way.
        let start = at(dest + 1) - nb;
        v[start..start + nb].copy_from_slice(&tmp[..nb]);
        end.result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (the tests must not depend on a crate).
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn sorts_stably_across_run_shapes() {
        let mut seed = 7;
        for n in [0usize, 1, 2, 3, 63, 64, 65, 200, 1000, 5000] {
            for shape in 0..5 {
                let keys: Vec<u64> = (0..n as u64)
                    .map(|i| match shape {
                        0 => lcg(&mut seed) % 50,
                        1 => i,
                        2 => n as u64 - i,
                        3 => (i / 37) % 5,
                        _ => if i % 100 < 50 { i } else { lcg(&mut seed) % 1000 },
                    })
                    .collect();
                let mut idx: Vec<usize> = (0..n).collect();
                timsort(&mut idx, |a, b| Ok::<bool, ()>(keys[a] < keys[b])).unwrap();
                let mut want: Vec<usize> = (0..n).collect();
                want.sort_by_key(|&i| keys[i]);
                assert_eq!(idx, want, "n={n} shape={shape}");
            }
        }
    }

    #[test]
    fn inconsistent_comparisons_and_errors_leave_a_permutation() {
        let mut seed = 99;
        let n = 3000;
        let mut idx: Vec<usize> = (0..n).collect();
        timsort(&mut idx, |_, _| Ok::<bool, ()>(lcg(&mut seed) % 2 == 0)).unwrap();
        let mut seen = idx.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>());

        let mut calls = 0;
        let mut idx: Vec<usize> = (0..n).rev().collect();
        let r = timsort(&mut idx, |a, b| {
            calls += 1;
            if calls == 2500 {
                Err("boom")
            } else {
                Ok(a < b)
            }
        });
        assert_eq!(r, Err("boom"));
        let mut seen = idx.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>());
    }
}
