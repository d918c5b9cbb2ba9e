package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextRequest;
import dev.muse4j.ConfigurationException;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.tokenizer.ChatTemplate;
import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoder language model on ONNX Runtime: an Optimum export or an ONNX Runtime GenAI package, read from a model
 * directory.
 *
 * <p>Thread-safe: the session and tokenizer are shared, and each generation keeps its KV cache, sampler and text in
 * its own {@link OnnxTextRun}, decoded on the thread that consumes it. With the model setting {@code batching=on}, the
 * runs decoding at the same cache length share one session run per step through a {@link StepBatcher}. The core
 * closes the engine after every run it started has been closed; closing frees the session and the tokenizer.
 *
 * @since 0.1.0
 */
public final class OnnxTextEngine implements TextEngine {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxTextEngine.class);
  /** Model settings this generator understands (through {@link ModelOptions#withSetting}). */
  public static final Set<String> MODEL_SETTINGS = Set.of("modelFile", "batching");
  /** The values of the {@code batching} setting. */
  private static final Set<String> BATCHING = Set.of("on", "off");

  private final String name;
  private final ModelDirectory model;
  private final OrtSession session;
  private final DecoderLayout layout;
  private final TextTokenizer tokenizer;
  private final Optional<ChatTemplate> chatTemplate;
  private final SamplingConfig modelDefaults;
  private final long[] eosIds;
  private final int vocabulary;
  private final int sampleLimit;
  private final int contextLength;
  private final AtomicBoolean contextWarned = new AtomicBoolean();
  private final LogitsBuffers logitsBuffers = new LogitsBuffers();
  /** Shares one session run per step among the runs decoding at the same length; null when batching is off. */
  private final @Nullable StepBatcher batcher;

  private OnnxTextEngine(String name, ModelDirectory model, OrtSession session, DecoderLayout layout,
      TextTokenizer tokenizer, Optional<ChatTemplate> chatTemplate, boolean batching) {
    this.name = name;
    this.model = model;
    this.session = session;
    this.layout = layout;
    this.tokenizer = tokenizer;
    this.chatTemplate = chatTemplate;
    this.modelDefaults = model.samplingDefaults();
    this.eosIds = model.eosIds().stream().mapToLong(Long::longValue).toArray();
    int declared = model.configInt(-1, "vocab_size");
    this.vocabulary = layout.vocabFromMetadata > 0 ? (int) layout.vocabFromMetadata : declared;
    this.contextLength = model.contextLength();
    if (vocabulary > 0 && tokenizer.size() > vocabulary) {
      if (declared != vocabulary) {
        throw new ModelLoadException(name, "The model's logits are " + vocabulary + " wide but its tokenizer has "
            + tokenizer.size() + " tokens, and the config does not declare vocab_size=" + vocabulary
            + ". The tokenizer does not belong to this model; use the tokenizer.json exported with it.");
      }
      LOG.warn("Model {}: tokenizer has {} tokens but the model only {} (config vocab_size); prompts that encode to "
          + "larger ids are rejected.", name, tokenizer.size(), vocabulary);
    }
    this.sampleLimit = vocabulary > 0 ? Math.min(vocabulary, tokenizer.size()) : tokenizer.size();
    this.batcher = batching ? new StepBatcher(SessionFactory.environment(), session, layout, vocabulary,
        DecoderRun.prefillChunk(vocabulary), logitsBuffers) : null;
  }

  /**
   * Loads a model directory.
   *
   * @param name the model, as the user gave it: a directory or {@code classpath:<folder>}
   * @param dir the directory holding its files
   * @param options sampling defaults, a chat template and model settings ({@code modelFile}, {@code batching})
   * @param sessions opens the ONNX Runtime session
   * @param json reads the configuration files
   * @return the engine; the core closes it
   * @throws dev.muse4j.ModelLoadException if the directory is not a model this backend loads, with the reason
   * @throws ConfigurationException if a model setting is unknown, {@code batching} is not {@code on} or
   *     {@code off}, or it is {@code on} for a model that cannot batch
   */
  public static OnnxTextEngine open(String name, Path dir, ModelOptions options, SessionFactory sessions,
      ObjectMapper json) {
    for (String key : options.settings().keySet()) {
      if (!MODEL_SETTINGS.contains(key)) {
        throw new ConfigurationException(key, "The onnx text generator has no model setting '" + key + "'; known: "
            + MODEL_SETTINGS + ".");
      }
    }
    String batching = options.settings().get("batching");
    if (batching != null && !BATCHING.contains(batching)) {
      throw new ConfigurationException("batching", "The onnx text generator's setting 'batching' is 'on' or 'off', "
          + "but was '" + batching + "'.");
    }
    ModelDirectory model = ModelDirectory.inspect(name, dir, options.settings().get("modelFile"), json);
    // Parsed before anything is opened: a template that does not parse fails the load, naming its file and line.
    Optional<ChatTemplate> chatTemplate = ChatTemplate.find(name, options.chatTemplate().orElse(null),
        options.chatTemplateName().orElse(null), model.dir, model.tokenizerConfig);
    TextTokenizer tokenizer = TextTokenizer.load(model.tokenizerFile(), name, json);
    OrtSession session = null;
    try {
      SessionFactory.OpenedSession opened = sessions.open(model.modelFile, name, Map.of());
      session = opened.session();
      DecoderLayout layout = DecoderLayout.read(session, model);
      LOG.debug("Model {}: {} decoder, {} layers, on {}", name, model.format, layout.layers(),
          opened.provider().settingName());
      int vocabulary = layout.vocabFromMetadata > 0 ? (int) layout.vocabFromMetadata
          : model.configInt(-1, "vocab_size");
      boolean batchable = StepBatcher.supports(layout, vocabulary);
      if ("on".equals(batching) && !batchable) {
        throw new ConfigurationException("batching", "Model " + name + " cannot decode its streams in batches: "
            + (layout.combined ? "its KV cache combines keys and values in one tensor per layer (an ONNX Runtime "
            + "GenAI layout)" : "the width of its logits is not known (symbolic in the model, and config.json has "
            + "no vocab_size)") + ". Leave the setting 'batching' out, or set it to 'off'.");
      }
      return new OnnxTextEngine(name, model, session, layout, tokenizer, chatTemplate,
          batchable && "on".equals(batching));
    } catch (RuntimeException e) {
      tokenizer.close();
      if (session != null) {
        closeQuietly(session);
      }
      throw e;
    }
  }

  @Override
  public Limits limits() {
    return Limits.builder().contextLength(contextLength).maxCount(TextRequest.MAX_COUNT).build();
  }

  @Override
  public SamplingConfig modelDefaults() {
    return modelDefaults;
  }

  @Override
  public TextRun start(Job<TextRequest> job, boolean streamed) {
    TextRequest request = job.request();
    SamplingConfig sampling = request.sampling();
    long[] prompt = encode(request);
    if (prompt.length == 0) {
      throw new InvalidRequestException("prompt", "The prompt encodes to no tokens; give it some text.");
    }
    for (long id : prompt) {
      if (vocabulary > 0 && id >= vocabulary) {
        throw new InvalidRequestException("prompt", "The prompt encodes to token id " + id + ", but this model's "
            + "vocabulary has only " + vocabulary + " tokens (its tokenizer is larger than the model). Use words the "
            + "model knows, or a tokenizer that matches it.");
      }
    }
    if (prompt.length >= contextLength) {
      throw new InvalidRequestException("prompt", "The prompt is " + prompt.length + " tokens, but the model's "
          + model.contextLengthSource() + " is " + contextLength + " tokens and at least one must be left for the "
          + "reply; shorten the prompt by at least " + (prompt.length - contextLength + 1) + " tokens.");
    }
    long seed = sampling.seed().isPresent() ? sampling.seed().getAsLong() : System.nanoTime();
    return new OnnxTextRun(this, prompt, sampling, seed, job.cancellation());
  }

  private long[] encode(TextRequest request) {
    if (!request.isChat()) {
      return tokenizer.encode(request.prompt().orElseThrow(), true);
    }
    ChatTemplate template = chatTemplate.orElseThrow(() -> new InvalidRequestException("messages", "Model " + name
        + " has no chat template (no chat_template.jinja, and tokenizer_config.json has no chat_template), so it "
        + "cannot take chat messages. "
        + "Send a plain prompt with TextRequest.of(...), or give a template with "
        + "ModelOptions.defaults().withChatTemplate(...)."));
    return tokenizer.encode(template.render(request.messages()), false);
  }

  String name() {
    return name;
  }

  OrtEnvironment env() {
    return SessionFactory.environment();
  }

  OrtSession session() {
    return session;
  }

  DecoderLayout layout() {
    return layout;
  }

  TextTokenizer tokenizer() {
    return tokenizer;
  }

  long[] eosIds() {
    return eosIds;
  }

  @Nullable StepBatcher batcher() {
    return batcher;
  }

  LogitsBuffers logitsBuffers() {
    return logitsBuffers;
  }

  int vocabulary() {
    return vocabulary;
  }

  int sampleLimit() {
    return sampleLimit;
  }

  int contextLength() {
    return contextLength;
  }

  /**
   * Called when a generation ends with {@code LENGTH} at the context window before the {@code maxTokens} it asked
   * for: logs one WARN per generator, unless the core has already warned that {@code maxTokens} alone exceeds the
   * context.
   */
  void contextReached(int requested, int promptTokens) {
    if (requested < contextLength && !contextWarned.getAndSet(true)) {
      LOG.warn("Model {}: the prompt ({} tokens) and maxTokens ({}) exceed the model's {} of {} tokens, so the reply "
          + "ended with LENGTH after {} tokens. Ask for at most {} tokens with a prompt this long, or shorten it. "
          + "(Logged once per generator.)", name, promptTokens, requested, model.contextLengthSource(),
          contextLength, contextLength - promptTokens, contextLength - promptTokens);
    }
  }

  /**
   * The error for an ONNX Runtime failure that is a position beyond the model's position table: the config declares
   * a longer context than the table has, so a Gather (the table lookup) fails with an index out of range.
   *
   * @param e what ONNX Runtime raised
   * @param sequence how many tokens the sequence held when it failed
   * @return the error naming the file, the key and the numbers, or empty if this is not such a failure
   */
  Optional<Muse4jException> positionTableTooShort(Exception e, int sequence) {
    String message = String.valueOf(e.getMessage());
    boolean gather = message.contains("Gather") || message.contains("indices element out of data bounds")
        || message.contains("out of bounds");
    if (!gather || contextLength == Integer.MAX_VALUE || sequence > contextLength) {
      return Optional.empty();
    }
    return Optional.of(new ModelLoadException(name, "The model's position table is shorter than its config says: "
        + model.contextWindowKey() + " declares a context of " + contextLength + " tokens, but ONNX Runtime failed "
        + "to look up a position (a Gather index out of range) when the sequence reached " + sequence + " tokens. "
        + "The config overstates the context; set " + model.contextWindowKey() + " to the length the model was "
        + "exported with (at most " + (sequence - 1) + " here), and keep prompt plus maxTokens below it. ONNX "
        + "Runtime said: " + SessionFactory.firstLine(message), e));
  }

  /** Frees the session and the tokenizer; the core calls it after every run has been closed. */
  @Override
  public void close() {
    closeQuietly(session);
    tokenizer.close();
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (Exception e) {
      LOG.warn("Closing an ONNX Runtime session failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "OnnxTextEngine{" + name + ", " + model.format + ", layers=" + layout.layers() + "}";
  }
}
