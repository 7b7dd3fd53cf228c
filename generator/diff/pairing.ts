// Matching old and new tables or columns: by name, or through a `renamedFrom` hint whose old name is gone.

/** An old object and the new object it became. */
export interface Pair<T> {
  from: T;
  to: T;
}

export function pairByName<T extends { name: string; renamedFrom?: string }>(
  oldItems: readonly T[],
  newItems: readonly T[],
): { pairs: Pair<T>[]; created: T[]; dropped: T[] } {
  const oldByName = new Map(oldItems.map((item) => [item.name, item]));
  const newNames = new Set(newItems.map((item) => item.name));
  const matched = new Set<string>();
  const pairs: Pair<T>[] = [];
  const created: T[] = [];
  for (const item of newItems) {
    const sameName = oldByName.get(item.name);
    const previous =
      item.renamedFrom !== undefined && !newNames.has(item.renamedFrom) && !matched.has(item.renamedFrom)
        ? oldByName.get(item.renamedFrom)
        : undefined;
    const match = sameName ?? previous;
    if (match) {
      matched.add(match.name);
      pairs.push({ from: match, to: item });
    } else {
      created.push(item);
    }
  }
  return { pairs, created, dropped: oldItems.filter((item) => !matched.has(item.name)) };
}
