package dev.muse4j.onnx.internal.music;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Abc;
import dev.muse4j.AbcTune;
import dev.muse4j.Audio;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Midi;
import dev.muse4j.MidiRenderer;
import dev.muse4j.ModelLoadException;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextRequest;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.MusicEngine;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Symbolic music from a local text model that writes ABC notation: the description becomes a tune header (title, and
 * metre, key, unit length from {@code music.json} unless the description gives {@code M:}, {@code K:}, {@code L:}
 * itself); the model continues it; the longest valid prefix is parsed, turned into MIDI and rendered with the JDK's
 * synthesizer. The model directory is any text model the onnx backend loads, marked by a {@code music.json}:
 *
 * <pre>{"format": "abc", "meter": "4/4", "key": "C", "unitNoteLength": "1/8", "tokensPerSecond": 6,
 *  "maxTokens": 1024}</pre>
 *
 * <p>Thread-safe as the text engine is: each generation has its own run.
 */
public final class AbcMusicEngine implements MusicEngine {
  /** The marker file of a symbolic music model. */
  public static final String MARKER = "music.json";
  private static final Pattern FIELD = Pattern.compile("\\b([MKLQ]):\\s*(\\S+)");

  private final TextEngine text;
  private final Map<String, String> header;
  private final double tokensPerSecond;
  private final int maxTokens;
  private final MidiRenderer renderer;

  AbcMusicEngine(TextEngine text, Map<String, String> header, double tokensPerSecond, int maxTokens,
      MidiRenderer renderer) {
    this.text = text;
    this.header = Map.copyOf(header);
    this.tokensPerSecond = tokensPerSecond;
    this.maxTokens = maxTokens;
    this.renderer = renderer;
  }

  /**
   * Reads {@code music.json} and wraps the text engine opened on the same directory.
   *
   * @param model the model as the user named it
   * @param dir its directory
   * @param text the text engine on it; closed with this engine
   * @param json the mapper
   * @return the engine
   */
  public static AbcMusicEngine open(String model, Path dir, TextEngine text, ObjectMapper json) {
    try {
      JsonNode m = json.readTree(Files.readString(dir.resolve(MARKER)));
      String format = m.path("format").asText("abc");
      if (!format.equals("abc")) {
        throw new ModelLoadException(model, MARKER + " says format '" + format + "'; only \"abc\" is written.");
      }
      Map<String, String> header = new LinkedHashMap<>();
      header.put("M", m.path("meter").asText("4/4"));
      header.put("L", m.path("unitNoteLength").asText("1/8"));
      header.put("K", m.path("key").asText("C"));
      double tps = m.path("tokensPerSecond").asDouble(6);
      int max = m.path("maxTokens").asInt(1024);
      if (tps <= 0 || max <= 0) {
        throw new ModelLoadException(model, MARKER + ": tokensPerSecond and maxTokens must be positive.");
      }
      MidiRenderer renderer = MidiRenderer.defaults();
      String soundFont = m.path("soundFont").asText("");
      if (!soundFont.isEmpty()) {
        renderer = MidiRenderer.withSoundFont(dir.resolve(soundFont));
      }
      return new AbcMusicEngine(text, header, tps, max, renderer);
    } catch (IOException e) {
      text.close();
      throw new ModelLoadException(model, "Could not read " + dir.resolve(MARKER) + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      text.close();
      throw e;
    }
  }

  @Override
  public Limits limits() {
    return Limits.builder().maxDuration(Duration.ofMillis(Math.round(maxTokens / tokensPerSecond * 1000))).build();
  }

  /** The header the model continues: the description as title, fields from it or from music.json. */
  String header(String description) {
    Map<String, String> fields = new LinkedHashMap<>(header);
    Matcher f = FIELD.matcher(description);
    StringBuilder title = new StringBuilder();
    int last = 0;
    while (f.find()) {
      fields.put(f.group(1), f.group(2));
      title.append(description, last, f.start());
      last = f.end();
    }
    title.append(description.substring(last));
    String t = title.toString().replaceAll("\\s+", " ").trim();
    StringBuilder h = new StringBuilder("X:1\n");
    if (!t.isEmpty()) {
      h.append("T:").append(t).append('\n');
    }
    for (String k : new String[] {"M", "L", "Q"}) {
      if (fields.containsKey(k)) {
        h.append(k).append(':').append(fields.get(k)).append('\n');
      }
    }
    return h.append("K:").append(fields.get("K")).append('\n').toString();
  }

  int tokens(Duration duration) {
    return (int) Math.min(maxTokens, Math.max(1, Math.ceil(duration.toMillis() / 1000.0 * tokensPerSecond)));
  }

  @Override
  public MusicResult generate(Job<MusicRequest> job) {
    long started = System.nanoTime();
    MusicRequest request = job.request();
    if (request.prompt().isBlank()) {
      throw new InvalidRequestException("prompt", "Describe the tune, for example \"a jig in D\" or \"M:3/4 K:G "
          + "waltz\".");
    }
    String head = header(request.prompt());
    int budget = tokens(request.duration());
    SamplingConfig.Builder sampling = request.sampling().withDefaults(text.modelDefaults())
        .withDefaults(text.engineDefaults()).toBuilder().maxTokens(budget);
    if (request.seed().isPresent()) {
      sampling.seed(request.seed().getAsLong());
    }
    TextRequest prompt = TextRequest.of(head).withSampling(sampling.build());
    StringBuilder body = new StringBuilder();
    int[] count = {0};
    Job<TextRequest> inner = Job.of(prompt, job.cancellation(), (stage, step, total) -> { },
        job.timeout().orElse(null));
    try (TextRun run = text.start(inner, false)) {
      for (String piece = run.next(); piece != null; piece = run.next()) {
        job.cancellation().throwIfCancelled();
        body.append(piece);
        count[0]++;
        job.step("writing", Math.min(count[0], budget), budget);
        if (endsTune(body)) {
          break;
        }
      }
    }
    job.cancellation().throwIfCancelled();
    String abc = head + cut(body.toString());
    AbcTune tune;
    try {
      tune = Abc.parse(abc);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("prompt", "The model wrote no playable notes after the header ("
          + e.getMessage() + "). Try another seed or description.");
    }
    Midi midi = tune.toMidi();
    Audio audio = renderer.render(midi, p -> {
      job.cancellation().throwIfCancelled();
      job.step("render", p.step(), p.totalSteps());
    });
    return MusicResult.ofAbc(fit(audio, request.duration()), midi, abc,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Cuts audio longer than asked for to the duration, fading the last 20 ms; shorter audio is left as it is. */
  static Audio fit(Audio audio, Duration duration) {
    long frames = duration.toNanos() * audio.sampleRate() / 1_000_000_000L;
    if (audio.frames() <= frames) {
      return audio;
    }
    int channels = audio.channels();
    float[] s = java.util.Arrays.copyOf(audio.samples(), (int) frames * channels);
    int fade = Math.min((int) frames, audio.sampleRate() / 50);
    for (int f = 0; f < fade; f++) {
      float gain = (float) f / fade;
      for (int c = 0; c < channels; c++) {
        s[((int) frames - 1 - f) * channels + c] *= gain;
      }
    }
    return Audio.of(s, audio.sampleRate(), channels);
  }

  /** A blank line or a new {@code X:} ends the tune. */
  private static boolean endsTune(CharSequence s) {
    String t = s.toString();
    return t.contains("\n\n") || t.contains("\nX:");
  }

  private static String cut(String body) {
    int end = body.length();
    for (String stop : new String[] {"\n\n", "\nX:"}) {
      int i = body.indexOf(stop);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return body.substring(0, end).stripTrailing() + "\n";
  }

  @Override
  public void close() {
    text.close();
  }

  @Override
  public String toString() {
    return "AbcMusicEngine[" + header + ", " + tokensPerSecond + " tokens/s, max " + maxTokens + "; "
        + text + "]";
  }
}
