package dev.muse4j.onnx.internal.template;

import java.util.AbstractList;

/** Python's {@code range}: a sequence of ints that prints as {@code range(0, 3)}. */
final class PyRange extends AbstractList<Object> {
  private final long start;
  private final long stop;
  private final long step;
  private final int size;

  PyRange(long start, long stop, long step) {
    this.start = start;
    this.stop = stop;
    this.step = step;
    long n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
    this.size = (int) Math.max(0, n);
  }

  @Override
  public Object get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return start + step * index;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    return "range(" + start + ", " + stop + (step != 1 ? ", " + step : "") + ")";
  }
}
