package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Batched decoding for one engine: the runs that are decoding at the same time share one {@link OrtSession#run} per
 * step, with a batch dimension, when (and only when) their caches hold the same number of tokens. Rows of equal
 * length compute exactly what they compute alone (no padding, the same positions and mask), so a stream's text is
 * identical to its solo text; runs of different lengths are never put in one batch.
 *
 * <p>How it works. Each run is a {@link Member}. Its prompt is prefilled alone, on its own thread, straight into a
 * KV cache in direct buffers that this class owns (the {@code present} outputs are pinned). A decode step registers
 * the run as ready at its cache length and waits; the thread that finds its group complete (every live run that is
 * heading for the same length is ready, or the ones missing have been idle longer than a grace period) becomes the
 * leader: it runs the session once for the whole group, outside the lock, copies each row's logits into that run's
 * own array and wakes the others. A group's rows live in one {@link Cohort}: a batched cache {@code [rows, heads,
 * positions, dim]} per layer and kind, ping-ponged between two buffers so that a step's presents are the next step's
 * pasts without a copy. Rows are copied only when the composition changes: a run joins (a new cohort is assembled
 * from its members' rows) or leaves (the rows after it move down).
 *
 * <p>Cancelling a run ends only its own wait; the batch's run goes on for the others, and is terminated only when
 * every row in it is cancelled. A failed batch is retried row by row, so that an error belongs to the run that causes
 * it. Nothing here starts a thread: the consumers' threads take turns at leading.
 */
final class StepBatcher {
  /** The least time a group waits for a run that is expected at its length but has not asked for its step yet. */
  static final long MIN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * The grace period's fixed part; tests on tiny models, whose whole generation can take less than a thread's start,
   * lengthen it so that their streams meet.
   */
  static volatile long minGraceNanos = MIN_GRACE_NANOS;
  /** The most rows in one batch. */
  static final int MAX_BATCH = 64;

  private enum State { IDLE, READY, RUNNING }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final DecoderLayout layout;
  private final int vocab;
  private final int logitsBytes;
  private final int kvBytes;
  private final int slots;
  /** Bytes of one row at one position in one slot: heads × head size × element size. */
  private final long positionBytes;
  private final int prefillChunk;
  private final LogitsBuffers logitsPool;
  private final LogitsBuffers cachePool;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Member> live = new ArrayList<>();
  private volatile long lastStepNanos;
  /** Diagnostics for tests, across every batcher in the JVM: steps run with more than one row, the largest batch. */
  static final AtomicLong BATCHED_STEPS = new AtomicLong();
  static final AtomicInteger LARGEST_BATCH = new AtomicInteger();
  /** Diagnostics: decode steps run (each one session run), and the rows they decoded (their mean batch size). */
  static final AtomicLong STEPS = new AtomicLong();
  static final AtomicLong ROWS = new AtomicLong();
  /** Diagnostics: cohorts made and not yet freed (each holds run options and tensors), for leak checks in tests. */
  static final AtomicInteger OPEN_COHORTS = new AtomicInteger();

  /** Whether a layout can be batched: separate key and value caches, and logits whose width is known. */
  static boolean supports(DecoderLayout layout, long vocabulary) {
    long width = layout.vocabFromMetadata > 0 ? layout.vocabFromMetadata : vocabulary;
    if (layout.combined || width <= 0 || width >= Integer.MAX_VALUE / 8) {
      return false;
    }
    if (layout.logitsRank != 2 && layout.logitsRank != 3) {
      return false;
    }
    for (String v : layout.presentValues) {
      if (v == null) {
        return false;
      }
    }
    return true;
  }

  StepBatcher(OrtEnvironment env, OrtSession session, DecoderLayout layout, long vocabulary, int prefillChunk,
      LogitsBuffers logitsPool) {
    this.env = env;
    this.session = session;
    this.layout = layout;
    this.vocab = (int) (layout.vocabFromMetadata > 0 ? layout.vocabFromMetadata : vocabulary);
    this.logitsBytes = layout.logitsType == OnnxJavaType.FLOAT16 ? 2 : 4;
    this.kvBytes = layout.kvType == OnnxJavaType.FLOAT16 ? 2 : 4;
    this.slots = 2 * layout.layers();
    this.positionBytes = (long) layout.kvHeads * layout.headDim * kvBytes;
    this.prefillChunk = prefillChunk;
    this.logitsPool = logitsPool;
    this.cachePool = new LogitsBuffers(2 * slots);
  }

  /** Registers a run before its first step, so that runs heading for the same length wait for it a little. */
  Member join(int promptLength) {
    Member m = new Member(promptLength);
    lock.lock();
    try {
      live.add(m);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return m;
  }

  private long grace() {
    return minGraceNanos + lastStepNanos;
  }

  /** One generation's place in the batcher. Its methods are called by the thread that pulls the generation. */
  final class Member {
    private final int promptLength;
    private final float[] logits;
    private @Nullable Cohort cohort;
    private int row;
    /** Tokens in the cache. */
    private int length;
    /** The cache length at which this run's next step starts, counting the run in progress. */
    private int nextPast;
    private State state = State.IDLE;
    private long token;
    private long idleSince = System.nanoTime();
    private boolean cancelled;
    private boolean closed;
    private boolean resultReady;
    /** After a failed batch: run the next step alone. */
    private boolean solo;
    private @Nullable Throwable error;

    private Member(int promptLength) {
      this.promptLength = promptLength;
      this.nextPast = promptLength;
      this.logits = new float[vocab];
    }

    /** Prefills the prompt alone; returns the last position's logits (reused by later calls), or null if cancelled. */
    float @Nullable [] prefill(long[] prompt) throws OrtException {
      return StepBatcher.this.prefill(this, prompt);
    }

    /** Decodes one more token, batched with the runs at the same length; null if cancelled while waiting. */
    float @Nullable [] step(long id) throws OrtException {
      return StepBatcher.this.step(this, id);
    }

    /** From any thread: ends this run's wait, and the batch's run if every row in it is cancelled. */
    void cancel() {
      StepBatcher.this.cancel(this);
    }

    /** Leaves the batcher and frees this run's rows. Idempotent. */
    void leave() {
      StepBatcher.this.leave(this);
    }

    int length() {
      return length;
    }
  }

  private float @Nullable [] prefill(Member m, long[] prompt) throws OrtException {
    Cohort c;
    lock.lock();
    try {
      if (m.cancelled || m.closed) {
        return null;
      }
      c = new Cohort();
      c.rows.add(m);
      m.cohort = c;
      m.row = 0;
      m.state = State.RUNNING;
      m.nextPast = prompt.length;
      c.running = true;
    } finally {
      lock.unlock();
    }
    Throwable failure = null;
    try {
      for (int from = 0; from < prompt.length; from += prefillChunk) {
        int count = Math.min(prompt.length - from, prefillChunk);
        c.ensureIds(count);
        for (int i = 0; i < count; i++) {
          c.ids.set(i, prompt[from + i]);
          c.positions.set(i, c.length + i);
        }
        int rows = layout.logitsRank == 2 || layout.logitsPositions == 1 ? 1 : count;
        ByteBuffer buffer = logitsPool.take(Math.multiplyExact(rows * vocab, logitsBytes));
        try {
          long[] shape = layout.logitsRank == 2 ? new long[] {1, vocab} : new long[] {1, rows, vocab};
          buffer.limit(rows * vocab * logitsBytes);
          try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape, layout.logitsType)) {
            run(c, count, tensor);
          }
          readRow(buffer, rows - 1, m.logits);
        } finally {
          logitsPool.give(buffer);
        }
      }
    } catch (OrtException | RuntimeException | Error e) { // an Error too: the others must not wait for this run
      failure = e;
    }
    lock.lock();
    try {
      c.running = false;
      c.clearTerminate();
      m.state = State.IDLE;
      m.idleSince = System.nanoTime();
      m.length = c.length;
      m.nextPast = c.length;
      if (m.closed) {
        removeRows(c, List.of(m));
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      if (m.cancelled) {
        return null;
      }
      throw rethrow(failure);
    }
    return m.cancelled ? null : m.logits;
  }

  private static OrtException rethrow(Throwable e) {
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    return (OrtException) e;
  }

  private float @Nullable [] step(Member m, long id) throws OrtException {
    lock.lock();
    try {
      if (m.cancelled || m.closed) {
        return null;
      }
      m.token = id;
      m.state = State.READY;
      m.resultReady = false;
      m.error = null;
      changed.signalAll();
      while (true) {
        if (m.cancelled) {
          if (m.state == State.READY) {
            m.state = State.IDLE;
            changed.signalAll();
          }
          return null;
        }
        if (m.resultReady) {
          m.resultReady = false;
          Throwable e = m.error;
          if (e != null) {
            m.error = null;
            throw rethrow(e);
          }
          return m.logits;
        }
        if (m.state == State.RUNNING) {
          changed.await();
          continue;
        }
        long wait = m.solo ? 0 : patience(m);
        if (wait > 0) {
          if (wait == Long.MAX_VALUE) {
            changed.await();
          } else {
            changed.awaitNanos(wait);
          }
          continue;
        }
        List<Member> group = m.solo ? List.of(m) : group(m);
        m.solo = false;
        lead(assemble(group, m.length));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (m.state == State.READY) {
        m.state = State.IDLE;
        changed.signalAll();
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long a ready run waits before it leads its group: 0 to lead now; {@link Long#MAX_VALUE} while a run heading
   * for its length is inside a session run (it will be ready soon after); else until the runs expected at its length
   * have been idle for the grace period.
   */
  private long patience(Member m) {
    long now = System.nanoTime();
    long deadline = now;
    for (Member p : live) {
      if (p == m || p.cancelled || p.closed || p.state == State.READY || p.nextPast != m.length) {
        continue;
      }
      if (p.state == State.RUNNING) {
        return Long.MAX_VALUE;
      }
      deadline = Math.max(deadline, p.idleSince + grace());
    }
    return Math.max(0, deadline - now);
  }

  /** The ready runs at {@code m}'s length, at most {@link #MAX_BATCH}, {@code m} among them. */
  private List<Member> group(Member m) {
    List<Member> group = new ArrayList<>();
    group.add(m);
    long rowBytes = positionBytes * (m.length + 1);
    long most = Math.min(MAX_BATCH, Integer.MAX_VALUE / Math.max(1, rowBytes * 2));
    for (Member p : live) {
      if (group.size() >= most) {
        break;
      }
      if (p != m && p.state == State.READY && !p.cancelled && !p.solo && p.length == m.length && p.cohort != null) {
        group.add(p);
      }
    }
    return group;
  }

  /**
   * The cohort holding exactly {@code group}'s rows: their own cohort when it holds nothing else, else a new one
   * with their rows copied in (the rows left behind move down in their old cohorts). Called with the lock held, with
   * every member of the group idle.
   */
  private Cohort assemble(List<Member> group, int length) {
    Cohort first = group.get(0).cohort;
    boolean same = first != null && first.rows.size() == group.size();
    for (Member m : group) {
      same &= m.cohort == first;
    }
    if (same) {
      return first;
    }
    Cohort c = new Cohort();
    c.length = length;
    int rowBytes = Math.toIntExact(positionBytes * length);
    for (int s = 0; s < slots; s++) {
      c.past[s] = cachePool.take(Math.multiplyExact(rowBytes, group.size()));
    }
    Map<Cohort, List<Member>> leaving = new IdentityHashMap<>();
    for (int i = 0; i < group.size(); i++) {
      Member m = group.get(i);
      Cohort from = java.util.Objects.requireNonNull(m.cohort);
      for (int s = 0; s < slots; s++) {
        c.past[s].put(i * rowBytes, from.past[s].duplicate().clear(), m.row * rowBytes, rowBytes);
      }
      leaving.computeIfAbsent(from, k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<Cohort, List<Member>> e : leaving.entrySet()) {
      removeRows(e.getKey(), e.getValue());
    }
    for (int i = 0; i < group.size(); i++) {
      Member m = group.get(i);
      c.rows.add(m);
      m.cohort = c;
      m.row = i;
    }
    return c;
  }

  /** Removes rows from an idle cohort: the rows after them move down; an empty cohort is freed. Lock held. */
  private void removeRows(Cohort c, List<Member> gone) {
    List<Member> kept = new ArrayList<>(c.rows.size());
    for (Member m : c.rows) {
      if (!gone.contains(m)) {
        kept.add(m);
      }
    }
    for (Member m : gone) {
      if (m.cohort == c) {
        m.cohort = null;
      }
    }
    if (kept.isEmpty()) {
      c.rows.clear();
      c.free();
      return;
    }
    if (kept.size() == c.rows.size()) {
      return;
    }
    int rowBytes = Math.toIntExact(positionBytes * c.length);
    for (int i = 0; i < kept.size(); i++) {
      Member m = kept.get(i);
      if (m.row != i && rowBytes > 0) {
        for (int s = 0; s < slots; s++) {
          ByteBuffer b = c.past[s].clear();
          b.put(i * rowBytes, b.duplicate(), m.row * rowBytes, rowBytes);
        }
      }
      m.row = i;
    }
    c.rows.clear();
    c.rows.addAll(kept);
    c.invalidate();
  }

  /** Runs one decode step for a cohort, outside the lock; returns with the lock held again. */
  private void lead(Cohort c) {
    List<Member> rows = List.copyOf(c.rows);
    int b = rows.size();
    c.ensureIds(b);
    for (int i = 0; i < b; i++) {
      Member m = rows.get(i);
      c.ids.set(i, m.token);
      c.positions.set(i, c.length);
      m.state = State.RUNNING;
      m.nextPast = c.length + 1;
    }
    c.running = true;
    STEPS.incrementAndGet();
    ROWS.addAndGet(b);
    if (b > 1) {
      BATCHED_STEPS.incrementAndGet();
      LARGEST_BATCH.accumulateAndGet(b, Math::max);
    }
    lock.unlock();
    Throwable failure = null;
    long start = System.nanoTime();
    try {
      OnnxTensor logits = c.stepLogits(b);
      run(c, 1, logits);
      ByteBuffer buffer = java.util.Objects.requireNonNull(c.logitsBuffer);
      for (int i = 0; i < b; i++) {
        readRow(buffer, i, rows.get(i).logits);
      }
    } catch (OrtException | RuntimeException | Error e) { // an Error too: the rows must not wait for this step
      failure = e;
    } finally {
      lock.lock();
    }
    long now = System.nanoTime();
    lastStepNanos = now - start;
    c.running = false;
    c.clearTerminate();
    List<Member> gone = new ArrayList<>();
    for (Member m : rows) {
      m.idleSince = now;
      m.length = c.length;
      m.nextPast = c.length;
      if (failure != null && b > 1 && !m.cancelled && !m.closed) {
        m.state = State.READY; // retried alone, so that an error belongs to the run that causes it
        m.solo = true;
      } else {
        m.state = State.IDLE;
        m.error = failure;
        m.resultReady = true;
      }
      if (m.closed) {
        gone.add(m);
      }
    }
    if (!gone.isEmpty()) {
      removeRows(c, gone);
    }
    changed.signalAll();
  }

  private void cancel(Member m) {
    lock.lock();
    try {
      m.cancelled = true;
      Cohort c = m.cohort;
      if (c != null && c.running) {
        boolean all = true;
        for (Member p : c.rows) {
          all &= p.cancelled;
        }
        if (all) {
          c.terminate();
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void leave(Member m) {
    lock.lock();
    try {
      if (m.closed) {
        return;
      }
      m.closed = true;
      m.cancelled = true;
      live.remove(m);
      Cohort c = m.cohort;
      if (c != null && !c.running) {
        removeRows(c, List.of(m));
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    cancel(m);
  }

  /**
   * One session run of a cohort: {@code count} new tokens per row (ids and positions already written), past
   * {@link Cohort#length}; the presents are written into the cohort's other buffers, which become its pasts.
   */
  private void run(Cohort c, int count, OnnxTensor logits) throws OrtException {
    int b = c.rows.size();
    int past = c.length;
    int total = past + count;
    List<OnnxTensor> created = new ArrayList<>(4);
    OnnxTensor[] presents = new OnnxTensor[slots];
    boolean done = false;
    try {
      Map<String, OnnxTensor> inputs = c.inputs;
      long[] idShape = {b, count};
      inputs.put(layout.inputIds, add(created, c.ids.tensor(env, idShape, b * count)));
      if (layout.positionIds != null) {
        inputs.put(layout.positionIds, add(created, c.positions.tensor(env, idShape, b * count)));
      }
      if (layout.attentionMask != null) {
        c.mask.ensure(b * total);
        inputs.put(layout.attentionMask, add(created, c.mask.tensor(env, new long[] {b, total}, b * total)));
      }
      if (layout.useCacheBranch != null) {
        inputs.put(layout.useCacheBranch, add(created, OnnxTensor.createTensor(env, new boolean[] {past > 0})));
      }
      if (c.pastTensors == null) {
        OnnxTensor[] pasts = new OnnxTensor[slots];
        c.pastTensors = pasts;
        for (int s = 0; s < slots; s++) {
          pasts[s] = cacheTensor(past == 0 ? null : c.past[s], b, past);
        }
      }
      Map<String, OnnxValue> pinned = c.pinned;
      pinned.clear();
      pinned.put(layout.logits, logits);
      long need = positionBytes * total * b;
      for (int i = 0; i < layout.layers(); i++) {
        for (int kind = 0; kind < 2; kind++) {
          int s = 2 * i + kind;
          inputs.put(kind == 0 ? layout.pastKeys.get(i) : layout.pastValues.get(i), c.pastTensors[s]);
          ByteBuffer target = c.next[s];
          if (target == null || target.capacity() < need) {
            if (target != null) {
              cachePool.give(target);
            }
            long room = positionBytes * b * roundUp(total + total / 4, 64);
            target = c.next[s] = cachePool.take((int) Math.min(Integer.MAX_VALUE - 8, Math.max(room, need)));
          }
          presents[s] = cacheTensor(target, b, total);
          pinned.put(kind == 0 ? layout.presentKeys.get(i) : layout.presentValues.get(i), presents[s]);
        }
      }
      OrtSession.Result result = session.run(inputs, Set.of(), pinned, c.options);
      result.close();
      for (OnnxTensor t : c.pastTensors) {
        t.close();
      }
      c.pastTensors = presents;
      ByteBuffer[] swap = c.past;
      c.past = c.next;
      c.next = swap;
      c.length = total;
      done = true;
    } finally {
      for (OnnxTensor t : created) {
        t.close();
      }
      if (!done) {
        for (OnnxTensor t : presents) {
          if (t != null) {
            t.close();
          }
        }
      }
    }
  }

  private static int roundUp(int n, int to) {
    return (n + to - 1) / to * to;
  }

  private static OnnxTensor add(List<OnnxTensor> created, OnnxTensor t) {
    created.add(t);
    return t;
  }

  /** A cache tensor {@code [rows, heads, positions, dim]} over a buffer (none: an empty cache). */
  private OnnxTensor cacheTensor(@Nullable ByteBuffer buffer, int rows, int positions) throws OrtException {
    long[] shape = {rows, layout.kvHeads, positions, layout.headDim};
    if (buffer == null) {
      return layout.kvType == OnnxJavaType.FLOAT16
          ? OnnxTensor.createTensor(env, ShortBuffer.allocate(0), shape, OnnxJavaType.FLOAT16)
          : OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
    }
    buffer.clear().limit(Math.toIntExact(positionBytes * rows * positions));
    return OnnxTensor.createTensor(env, buffer, shape, layout.kvType);
  }

  private void readRow(ByteBuffer buffer, int row, float[] out) {
    int offset = row * vocab;
    if (logitsBytes == 2) {
      for (int i = 0; i < vocab; i++) {
        out[i] = Float16.toFloat(buffer.getShort((offset + i) * 2));
      }
    } else {
      for (int i = 0; i < vocab; i++) {
        out[i] = buffer.getFloat((offset + i) * 4);
      }
    }
  }

  /** Runs of one length and their batched cache. Changed under the lock, or by its leader while it runs. */
  private final class Cohort {
    final List<Member> rows = new ArrayList<>();
    final Map<String, OnnxTensor> inputs = new HashMap<>();
    final Map<String, OnnxValue> pinned = new HashMap<>();
    final OrtSession.RunOptions options;
    int length;
    ByteBuffer[] past = new ByteBuffer[slots];
    ByteBuffer[] next = new ByteBuffer[slots];
    OnnxTensor @Nullable [] pastTensors;
    final IntegerInput ids = new IntegerInput(layout.idType, 8, 0);
    final IntegerInput positions = new IntegerInput(layout.positionType, 8, 0);
    final IntegerInput mask = new IntegerInput(layout.maskType, 64, 1);
    @Nullable ByteBuffer logitsBuffer;
    @Nullable OnnxTensor logitsTensor;
    int logitsRows;
    boolean running;
    boolean terminated;
    boolean freed;

    Cohort() {
      try {
        options = new OrtSession.RunOptions();
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not make run options: " + e.getMessage(), e);
      }
      OPEN_COHORTS.incrementAndGet();
    }

    void ensureIds(int n) {
      ids.ensure(n);
      positions.ensure(n);
    }

    /** The pinned logits of a decode step of {@code b} rows, remade when the row count changes. */
    OnnxTensor stepLogits(int b) throws OrtException {
      if (logitsTensor != null && logitsRows == b) {
        return logitsTensor;
      }
      if (logitsTensor != null) {
        logitsTensor.close();
        logitsTensor = null;
      }
      int bytes = Math.multiplyExact(b * vocab, logitsBytes);
      if (logitsBuffer == null || logitsBuffer.capacity() < bytes) {
        if (logitsBuffer != null) {
          logitsPool.give(logitsBuffer);
        }
        logitsBuffer = logitsPool.take(bytes);
      }
      ByteBuffer buffer = logitsBuffer;
      buffer.clear().limit(bytes);
      long[] shape = layout.logitsRank == 2 ? new long[] {b, vocab} : new long[] {b, 1, vocab};
      logitsTensor = OnnxTensor.createTensor(env, buffer, shape, layout.logitsType);
      logitsRows = b;
      return logitsTensor;
    }

    /** The past tensors no longer describe the rows (rows moved or left). */
    void invalidate() {
      if (pastTensors != null) {
        for (OnnxTensor t : pastTensors) {
          t.close();
        }
        pastTensors = null;
      }
    }

    void terminate() {
      if (!freed && !terminated) {
        try {
          options.setTerminate(true);
          terminated = true;
        } catch (OrtException e) {
          // the rows' own cancellation ends them at the next step anyway
        }
      }
    }

    void clearTerminate() {
      if (terminated && !freed) {
        try {
          options.setTerminate(false);
        } catch (OrtException e) {
          // a cohort that cannot be reset stays terminated; its rows are cancelled
          return;
        }
        terminated = false;
      }
    }

    /** Frees everything native and gives the buffers back. Idle cohorts only. */
    void free() {
      if (freed) {
        return;
      }
      freed = true;
      invalidate();
      if (logitsTensor != null) {
        logitsTensor.close();
        logitsTensor = null;
      }
      if (logitsBuffer != null) {
        logitsPool.give(logitsBuffer);
        logitsBuffer = null;
      }
      for (ByteBuffer[] side : new ByteBuffer[][] {past, next}) {
        for (int s = 0; s < slots; s++) {
          if (side[s] != null) {
            cachePool.give(side[s]);
            side[s] = null;
          }
        }
      }
      options.close();
      OPEN_COHORTS.decrementAndGet();
    }
  }
}
