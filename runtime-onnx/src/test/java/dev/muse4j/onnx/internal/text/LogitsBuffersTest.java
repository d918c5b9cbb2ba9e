package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class LogitsBuffersTest {
  @Test
  void buffersWithEqualContentsAreNeverHandedOutTwice() {
    LogitsBuffers pool = new LogitsBuffers();
    ByteBuffer a = pool.take(64);
    ByteBuffer b = pool.take(64);
    assertThat(a).isNotSameAs(b);
    assertThat(a.isDirect()).isTrue();
    assertThat(a.order()).isEqualTo(ByteOrder.nativeOrder());
    pool.give(a);
    pool.give(b); // both all zeros: equal by ByteBuffer.equals
    ByteBuffer first = pool.take(64);
    ByteBuffer second = pool.take(64);
    assertThat(first).isNotSameAs(second);
    assertThat(pool.take(64)).isNotSameAs(first).isNotSameAs(second);
  }

  @Test
  void takesTheSmallestBufferThatFits() {
    LogitsBuffers pool = new LogitsBuffers();
    ByteBuffer big = pool.take(4096);
    ByteBuffer small = pool.take(128);
    pool.give(big);
    pool.give(small);
    assertThat(pool.take(100)).isSameAs(small);
    assertThat(pool.take(100)).isSameAs(big);
  }
}
