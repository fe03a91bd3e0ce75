/**
 * Freezes a value and everything reachable from it, so a value shared by several callers (a
 * per-run memo) cannot be changed by one of them behind the others' backs: in strict-mode code
 * (every ES module) a write throws a TypeError instead.
 */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return value;
}
