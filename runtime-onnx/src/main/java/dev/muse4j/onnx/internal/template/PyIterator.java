package dev.muse4j.onnx.internal.template;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Python iterator: what {@code select}, {@code map}, {@code items}, {@code unique} and {@code batch} return (a
 * generator) and what {@code reverse} returns for a list. It is always true, has no length, cannot be indexed, and is
 * used up by iterating: a second loop over it sees nothing.
 */
final class PyIterator {
  private final String typeName;
  private final List<@Nullable Object> items;
  private int position;

  PyIterator(String typeName, List<@Nullable Object> items) {
    this.typeName = typeName;
    this.items = items;
  }

  static PyIterator generator(List<@Nullable Object> items) {
    return new PyIterator("generator", items);
  }

  String typeName() {
    return typeName;
  }

  /** What is left, consuming it. */
  List<@Nullable Object> drain() {
    List<@Nullable Object> rest = new ArrayList<>(items.subList(position, items.size()));
    position = items.size();
    return rest;
  }

  /** Python's {@code next()}, or Java null when exhausted (see {@link #hasNext()}). */
  @Nullable Object next() {
    return items.get(position++);
  }

  boolean hasNext() {
    return position < items.size();
  }

  /** Python's {@code in}: consumes up to and including the match. */
  boolean contains(@Nullable Object item) {
    while (position < items.size()) {
      if (Values.eq(items.get(position++), item)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "<" + typeName + " object>";
  }
}
