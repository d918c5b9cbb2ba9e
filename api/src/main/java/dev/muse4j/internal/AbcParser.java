package dev.muse4j.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one ABC tune into timed note events. A subset of ABC 2.1: header fields X, T, M, L, Q, K (with modes and
 * extra accidentals), V; notes with accidentals, octave marks and lengths; rests; bar-scoped accidentals; ties;
 * slurs (ignored); repeats with first and second endings; chords in brackets; guitar chords in quotes; tuplets;
 * broken rhythm; several voices. Anything it cannot read ends the tune there: the events read so far are kept and a
 * warning names the line and column. It never throws.
 */
public final class AbcParser {
  /** Ticks per quarter note in the events. */
  public static final int PPQ = 480;

  /** A note to play: MIDI pitch, onset and length in ticks, the voice it belongs to. */
  public record Note(int pitch, long onset, long duration, int voice, boolean accompaniment) {}

  /** What a tune reads to. */
  public record Result(int number, String title, String meter, String key, double quarterNotesPerMinute,
      int beatsPerBar, int beatUnit, List<String> voices, List<Note> notes, List<String> warnings, boolean hasBody,
      long lengthTicks) {}

  private enum Kind { NOTES, BAR, REPEAT_START, REPEAT_END, DOUBLE_BAR, ENDING, GUITAR }

  /** One thing in a voice's stream before repeats are unfolded. */
  private static final class Item {
    final Kind kind;
    int[] pitches = new int[0];
    boolean[] tied = new boolean[0];
    double ticks;
    int ending;

    Item(Kind kind) {
      this.kind = kind;
    }
  }

  private static final class Voice {
    final String id;
    final List<Item> items = new ArrayList<>();
    Map<Character, Integer> key;
    double unit;
    final Map<String, Integer> barAccidentals = new HashMap<>();
    @Nullable Item last;
    double nextFactor = 1;

    Voice(String id, Map<Character, Integer> key, double unit) {
      this.id = id;
      this.key = new HashMap<>(key);
      this.unit = unit;
    }
  }

  private final String text;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Voice> voices = new LinkedHashMap<>();
  private int number;
  private String title = "";
  private String meter = "4/4";
  private int beatsPerBar = 4;
  private int beatUnit = 4;
  private String keyName = "C";
  private Map<Character, Integer> key = new HashMap<>();
  private double unit = -1;
  private double qpm = 120;
  private @Nullable String tempoField;
  private double brokenRatio = 3;
  private boolean inBody;
  private @Nullable Voice current;
  private int tupletLeft;
  private double tupletFactor = 1;
  private int line;
  private int col;
  private boolean stopped;

  private AbcParser(String text) {
    this.text = text;
  }

  /**
   * Parses one tune's text (from its {@code X:} line, or from the start when there is none).
   *
   * @param text the tune
   * @return what it reads to
   */
  public static Result parse(String text) {
    AbcParser p = new AbcParser(text);
    try {
      p.run();
    } catch (RuntimeException e) {
      p.stop("could not read this (" + e + ")");
    }
    return p.result();
  }

  private void run() {
    String[] lines = text.split("\r\n|\n|\r", -1);
    for (int i = 0; i < lines.length && !stopped; i++) {
      line = i + 1;
      col = 1;
      String l = lines[i];
      int pct = commentStart(l);
      String code = pct >= 0 ? l.substring(0, pct) : l;
      if (l.startsWith("%%")) {
        directive(l.substring(2).trim());
        continue;
      }
      if (l.isBlank()) {
        if (inBody && !voices.isEmpty() && hasNotes()) {
          break; // a blank line ends the tune
        }
        continue;
      }
      if (code.isBlank()) {
        continue;
      }
      if (code.length() >= 2 && code.charAt(1) == ':' && Character.isLetter(code.charAt(0))
          && !(inBody && code.charAt(0) == '|')) {
        field(code.charAt(0), code.substring(2).trim());
        continue;
      }
      if (!inBody) {
        warn("music before the K: line; reading it in C major");
        startBody();
      }
      body(code);
    }
  }

  private boolean hasNotes() {
    for (Voice v : voices.values()) {
      for (Item it : v.items) {
        if (it.kind == Kind.NOTES && it.pitches.length > 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int commentStart(String l) {
    boolean quoted = false;
    for (int i = 0; i < l.length(); i++) {
      char c = l.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '%' && !quoted && (i == 0 || l.charAt(i - 1) != '\\')) {
        return i;
      }
    }
    return -1;
  }

  private void directive(String d) {
    String[] w = d.split("\\s+");
    if (w.length >= 4 && w[0].equals("MIDI") && w[1].equals("ratio")) {
      try {
        int a = Integer.parseInt(w[2]);
        int b = Integer.parseInt(w[3]);
        if (a > 0 && b > 0) {
          brokenRatio = (double) a / b;
        }
      } catch (NumberFormatException e) {
        // an unreadable directive is ignored, as any unknown one
      }
    }
  }

  private void field(char name, String value) {
    switch (name) {
      case 'X' -> {
        try {
          number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          warn("X: is not a number: " + value);
        }
      }
      case 'T' -> {
        if (title.isEmpty()) {
          title = value;
        }
      }
      case 'M' -> meter(value);
      case 'L' -> {
        double u = fraction(value);
        if (u > 0) {
          unit = u;
          if (current != null) {
            current.unit = u;
          }
        } else {
          warn("L: is not a note length: " + value);
        }
      }
      case 'Q' -> {
        tempoField = value;
        tempo(value);
      }
      case 'K' -> {
        Map<Character, Integer> k = key(value);
        if (k == null) {
          stop("K: is not a key: " + value);
          return;
        }
        key = k;
        if (!inBody) {
          keyName = value.isEmpty() ? "C" : value;
          startBody();
        } else if (current != null) {
          current.key = new HashMap<>(k);
        }
      }
      case 'V' -> {
        if (inBody) {
          voice(value);
        } else {
          // a voice declared in the header: remember its order
          String id = value.split("\\s+")[0];
          voices.computeIfAbsent(id, v -> new Voice(v, key, unitOrDefault()));
        }
      }
      default -> {
        // other fields (composer, rhythm, lyrics, notes...) do not change the music
      }
    }
  }

  private double unitOrDefault() {
    if (unit > 0) {
      return unit;
    }
    return (double) beatsPerBar / beatUnit < 0.75 ? 1.0 / 16 : 1.0 / 8;
  }

  private void startBody() {
    inBody = true;
    if (unit <= 0) {
      unit = unitOrDefault();
    }
    if (tempoField != null) {
      tempo(tempoField);
    }
    for (Voice v : voices.values()) {
      v.key = new HashMap<>(key);
      v.unit = unit;
    }
    if (voices.isEmpty()) {
      voices.put("1", new Voice("1", key, unit));
    }
    current = voices.values().iterator().next();
  }

  private void voice(String value) {
    String id = value.split("\\s+")[0];
    if (current != null && voices.size() == 1 && current.items.isEmpty() && !voices.containsKey(id)) {
      voices.clear(); // the implicit first voice had nothing yet: the named one replaces it
    }
    current = voices.computeIfAbsent(id, v -> new Voice(v, key, unit));
    current.last = null;
  }

  private void meter(String v) {
    String m = v.trim();
    meter = m;
    if (m.equals("C")) {
      beatsPerBar = 4;
      beatUnit = 4;
    } else if (m.equals("C|")) {
      beatsPerBar = 2;
      beatUnit = 2;
    } else if (m.matches("\\d+/\\d+")) {
      String[] p = m.split("/");
      beatsPerBar = Integer.parseInt(p[0]);
      beatUnit = Integer.parseInt(p[1]);
    } else if (!m.equalsIgnoreCase("none") && !m.isEmpty()) {
      warn("M: is not a metre this reads: " + v + "; using 4/4");
    }
  }

  private void tempo(String v) {
    String s = v.replaceAll("\"[^\"]*\"", "").trim();
    try {
      int eq = s.indexOf('=');
      if (eq >= 0) {
        double beat = 0;
        for (String part : s.substring(0, eq).trim().split("\\s+")) {
          if (!part.isEmpty()) {
            beat += fraction(part);
          }
        }
        double per = Double.parseDouble(s.substring(eq + 1).trim());
        if (beat > 0 && per > 0) {
          qpm = per * beat * 4;
        }
      } else if (!s.isEmpty()) {
        double per = Double.parseDouble(s);
        if (per > 0) {
          qpm = per * (unit > 0 ? unit : unitOrDefault()) * 4;
        }
      }
    } catch (NumberFormatException e) {
      warn("Q: is not a tempo: " + v);
    }
  }

  private static double fraction(String s) {
    String t = s.trim();
    int slash = t.indexOf('/');
    try {
      if (slash < 0) {
        return Double.parseDouble(t);
      }
      return Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final String SHARPS = "FCGDAEB";
  private static final String FLATS = "BEADGCF";

  /** The key signature as letter → semitone alteration, or null when the text is not a key. */
  static @Nullable Map<Character, Integer> key(String value) {
    Map<Character, Integer> sig = new HashMap<>();
    String v = value.trim().replaceAll("(?<=[A-Za-z#])(?=(\\^\\^|\\^|__|_|=)[A-Ga-g](\\s|$|[\\^_=]))", " ");
    if (v.isEmpty() || v.startsWith("none")) {
      return sig;
    }
    if (v.equals("HP") || v.equals("Hp")) {
      sig.put('F', 1); // Highland pipes: F and C sharp, G natural
      sig.put('C', 1);
      return sig;
    }
    String[] words = v.split("\\s+");
    String k = words[0];
    if (k.startsWith("clef=") || k.startsWith("transpose=")) {
      return sig;
    }
    char tonic = Character.toUpperCase(k.charAt(0));
    int at = "FCGDAEB".indexOf(tonic);
    if (at < 0) {
      return null;
    }
    int fifths = at - 1; // F = -1, C = 0, G = 1 ...
    int i = 1;
    if (i < k.length() && k.charAt(i) == '#') {
      fifths += 7;
      i++;
    } else if (i < k.length() && k.charAt(i) == 'b') {
      fifths -= 7;
      i++;
    }
    String mode = k.substring(i);
    if (mode.isEmpty() && words.length > 1 && words[1].matches("(?i)[a-z]+") && !words[1].contains("=")) {
      mode = words[1];
    }
    String m = mode.toLowerCase(Locale.ROOT);
    int shift;
    if (m.isEmpty() || m.startsWith("maj") || m.startsWith("ion")) {
      shift = 0;
    } else if (m.equals("m") || m.startsWith("min") || m.startsWith("aeo")) {
      shift = -3;
    } else if (m.startsWith("dor")) {
      shift = -2;
    } else if (m.startsWith("phr")) {
      shift = -4;
    } else if (m.startsWith("lyd")) {
      shift = 1;
    } else if (m.startsWith("mix")) {
      shift = -1;
    } else if (m.startsWith("loc")) {
      shift = -5;
    } else if (m.startsWith("exp") || m.startsWith("clef") || m.contains("=")) {
      shift = 0;
    } else {
      return null;
    }
    fifths += shift;
    if (fifths < -7 || fifths > 7) {
      return null;
    }
    if (m.startsWith("exp")) {
      fifths = 0;
    }
    for (int s = 0; s < fifths; s++) {
      sig.put(SHARPS.charAt(s), 1);
    }
    for (int s = 0; s < -fifths; s++) {
      sig.put(FLATS.charAt(s), -1);
    }
    for (int w = 1; w < words.length; w++) {
      String acc = words[w];
      if (acc.matches("(\\^\\^|\\^|__|_|=)[A-Ga-g]")) {
        char letter = Character.toUpperCase(acc.charAt(acc.length() - 1));
        sig.put(letter, acc.startsWith("^^") ? 2 : acc.startsWith("^") ? 1 : acc.startsWith("__") ? -2
            : acc.startsWith("_") ? -1 : 0);
      }
    }
    return sig;
  }

  // ---- the body ----------------------------------------------------------------------------------------------------

  private String src = "";
  private int pos;

  private void body(String code) {
    src = code;
    pos = 0;
    while (pos < src.length() && !stopped) {
      col = pos + 1;
      char c = src.charAt(pos);
      Voice v = current;
      if (v == null) {
        stop("music before a voice");
        return;
      }
      if (c == ' ' || c == '\t' || c == '`' || c == 'y') {
        pos++;
      } else if (c == '\\' && src.substring(pos + 1).isBlank()) {
        return;
      } else if (c == '"') {
        int end = src.indexOf('"', pos + 1);
        if (end < 0) {
          stop("a quoted chord or annotation is not closed");
          return;
        }
        guitarChord(v, src.substring(pos + 1, end));
        pos = end + 1;
      } else if (c == '!' || c == '+') {
        int end = src.indexOf(c, pos + 1);
        if (end < 0 && c == '!' && src.substring(pos + 1).isBlank()) {
          return; // an old-style line break
        }
        if (end < 0) {
          stop("a decoration " + c + "..." + c + " is not closed");
          return;
        }
        pos = end + 1;
      } else if ("~HIJKLMNOPRSTuv.".indexOf(c) >= 0) {
        pos++; // decorations
      } else if (c == '{') {
        int end = src.indexOf('}', pos + 1);
        if (end < 0) {
          stop("grace notes { ... } are not closed");
          return;
        }
        pos = end + 1; // grace notes are not played
      } else if (c == '(') {
        if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
          tuplet();
        } else {
          pos++; // a slur
        }
      } else if (c == ')') {
        pos++;
      } else if (c == '|' || c == ':' || (c == '[' && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '|' || Character.isDigit(src.charAt(pos + 1))))) {
        bar(v);
      } else if (c == '[' && pos + 2 < src.length() && Character.isLetter(src.charAt(pos + 1))
          && src.charAt(pos + 2) == ':') {
        int end = src.indexOf(']', pos);
        if (end < 0) {
          stop("an inline field [" + src.charAt(pos + 1) + ":...] is not closed");
          return;
        }
        field(src.charAt(pos + 1), src.substring(pos + 3, end).trim());
        pos = end + 1;
      } else if (c == '[') {
        chord(v);
      } else if (c == '>' || c == '<') {
        broken(v);
      } else if (c == '-') {
        if (v.last == null || v.last.kind != Kind.NOTES) {
          stop("a tie '-' after no note");
          return;
        }
        java.util.Arrays.fill(v.last.tied, true);
        pos++;
      } else if ("^_=ABCDEFGabcdefgzxZ".indexOf(c) >= 0) {
        int start = pos;
        Item it = single(v);
        if (it == null) {
          pos = start;
          return;
        }
        add(v, it);
      } else {
        stop("unexpected '" + c + "'");
        return;
      }
    }
  }

  private void tuplet() {
    pos++;
    int p = digits();
    int q = -1;
    int r = p;
    if (pos < src.length() && src.charAt(pos) == ':') {
      pos++;
      q = digits();
      if (pos < src.length() && src.charAt(pos) == ':') {
        pos++;
        int rr = digits();
        if (rr > 0) {
          r = rr;
        }
      }
    }
    if (p < 2 || p > 9) {
      stop("a tuplet of " + p + " notes");
      return;
    }
    if (q <= 0) {
      boolean compound = beatsPerBar % 3 == 0 && beatsPerBar > 3;
      q = switch (p) {
        case 2, 4, 8 -> 3;
        case 3, 6 -> 2;
        default -> compound ? 3 : 2;
      };
    }
    tupletFactor = (double) q / p;
    tupletLeft = r;
  }

  private int digits() {
    int start = pos;
    while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
      pos++;
    }
    return start == pos ? -1 : Integer.parseInt(src.substring(start, Math.min(pos, start + 6)));
  }

  private void bar(Voice v) {
    int start = pos;
    StringBuilder sym = new StringBuilder();
    while (pos < src.length() && "|:[]".indexOf(src.charAt(pos)) >= 0) {
      char c = src.charAt(pos);
      if (c == '[' && sym.length() > 0 && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
        break;
      }
      if (c == ']' && sym.indexOf("|") < 0) {
        break;
      }
      sym.append(c);
      pos++;
      if (c == '[' && pos < src.length() && Character.isDigit(src.charAt(pos))) {
        break;
      }
    }
    String s = sym.toString();
    if (s.isEmpty()) {
      stop("unexpected '" + src.charAt(start) + "'");
      return;
    }
    v.barAccidentals.clear();
    v.last = null;
    boolean end = s.startsWith(":") || s.contains(":|") || s.equals("::");
    boolean begin = s.endsWith(":") && (s.contains("|:") || s.equals("::") || s.contains(":|:") || s.endsWith("|:"));
    if (s.equals("::")) {
      end = true;
      begin = true;
    } else if (s.equals(":")) {
      end = false; // a lone ':' apart from its bar line is read as a plain bar, as abc2midi does
      begin = false;
    }
    if (end) {
      v.items.add(new Item(Kind.REPEAT_END));
    } else if (s.equals("||") || s.equals("|]") || s.equals("[|")) {
      v.items.add(new Item(Kind.DOUBLE_BAR));
    } else {
      v.items.add(new Item(Kind.BAR));
    }
    if (begin) {
      v.items.add(new Item(Kind.REPEAT_START));
    }
    if (pos < src.length() && Character.isDigit(src.charAt(pos)) && (s.endsWith("|") || s.endsWith("["))) {
      int n = digits();
      while (pos < src.length() && (src.charAt(pos) == ',' || src.charAt(pos) == '-'
          || Character.isDigit(src.charAt(pos)))) {
        pos++;
      }
      Item ending = new Item(Kind.ENDING);
      ending.ending = n;
      v.items.add(ending);
    }
  }

  private void chord(Voice v) {
    int start = pos;
    pos++;
    List<Integer> pitches = new ArrayList<>();
    List<Boolean> ties = new ArrayList<>();
    double first = -1;
    while (pos < src.length() && src.charAt(pos) != ']') {
      char c = src.charAt(pos);
      if (c == ' ' || c == '.' || c == '~' || c == '(' || c == ')') {
        pos++;
        continue;
      }
      if (c == '!') {
        int end = src.indexOf('!', pos + 1);
        if (end < 0) {
          break;
        }
        pos = end + 1;
        continue;
      }
      if (c == '-') {
        if (!ties.isEmpty()) {
          ties.set(ties.size() - 1, true);
        }
        pos++;
        continue;
      }
      Item note = single(v, true);
      if (note == null || note.pitches.length == 0) {
        pos = start;
        if (!stopped) {
          stop("a chord [ ... ] is not closed");
        }
        return;
      }
      pitches.add(note.pitches[0]);
      ties.add(note.tied[0]);
      if (first < 0) {
        first = note.ticks;
      }
    }
    if (pos >= src.length() || pitches.isEmpty()) {
      pos = start;
      stop("a chord [ ... ] is not closed");
      return;
    }
    pos++;
    double len = length();
    if (len <= 0) {
      pos = start;
      stop("a chord length that is not a length");
      return;
    }
    Item it = new Item(Kind.NOTES);
    it.pitches = pitches.stream().mapToInt(Integer::intValue).toArray();
    it.tied = new boolean[it.pitches.length];
    for (int i = 0; i < it.tied.length; i++) {
      it.tied[i] = ties.get(i);
    }
    if (pos < src.length() && src.charAt(pos) == '-') {
      java.util.Arrays.fill(it.tied, true);
      pos++;
    }
    it.ticks = first * len;
    add(v, it);
  }

  private @Nullable Item single(Voice v) {
    return single(v, false);
  }

  /** A note or rest at pos, its length in ticks (not yet tuplet- or rhythm-adjusted); null if unreadable. */
  private @Nullable Item single(Voice v, boolean inChord) {
    int start = pos;
    char c = src.charAt(pos);
    if (c == 'z' || c == 'x') {
      pos++;
      double len = length();
      if (len <= 0) {
        stop("a rest length that is not a length");
        return null;
      }
      Item it = new Item(Kind.NOTES);
      it.ticks = v.unit * 4 * PPQ * len;
      return it;
    }
    if (c == 'Z' || c == 'X') {
      pos++;
      int bars = digits();
      Item it = new Item(Kind.NOTES);
      it.ticks = Math.max(1, bars) * (double) beatsPerBar / beatUnit * 4 * PPQ;
      return it;
    }
    Integer alter = null;
    if (src.startsWith("^^", pos)) {
      alter = 2;
      pos += 2;
    } else if (src.startsWith("__", pos)) {
      alter = -2;
      pos += 2;
    } else if (c == '^') {
      alter = 1;
      pos++;
    } else if (c == '_') {
      alter = -1;
      pos++;
    } else if (c == '=') {
      alter = 0;
      pos++;
    }
    if (pos >= src.length() || "ABCDEFGabcdefg".indexOf(src.charAt(pos)) < 0) {
      col = start + 1;
      stop(pos >= src.length() ? "an accidental with no note" : "unexpected '" + src.charAt(pos) + "' after "
          + "an accidental");
      return null;
    }
    char letter = src.charAt(pos++);
    int octave = Character.isLowerCase(letter) ? 1 : 0;
    char upper = Character.toUpperCase(letter);
    while (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == ',')) {
      octave += src.charAt(pos) == '\'' ? 1 : -1;
      pos++;
    }
    String where = upper + ":" + octave;
    int a;
    if (alter != null) {
      a = alter;
      v.barAccidentals.put(where, a);
    } else {
      a = v.barAccidentals.getOrDefault(where, v.key.getOrDefault(upper, 0));
    }
    int pitch = 60 + 12 * octave + new int[] {9, 11, 0, 2, 4, 5, 7}[upper - 'A'] + a;
    double len = length();
    if (len <= 0) {
      col = start + 1;
      stop("a note length that is not a length");
      return null;
    }
    if (pitch < 0 || pitch > 127) {
      col = start + 1;
      stop("a note outside the MIDI range");
      return null;
    }
    Item it = new Item(Kind.NOTES);
    it.pitches = new int[] {pitch};
    it.tied = new boolean[] {false};
    it.ticks = v.unit * 4 * PPQ * len;
    if (!inChord && pos < src.length() && src.charAt(pos) == '-') {
      it.tied[0] = true;
      pos++;
    } else if (inChord && pos < src.length() && src.charAt(pos) == '-') {
      it.tied[0] = true;
      pos++;
    }
    return it;
  }

  /** A length multiplier at pos ({@code 2}, {@code /}, {@code 3/2}, {@code //}); 1 when none; -1 when unreadable. */
  private double length() {
    int num = digits();
    double len = num < 0 ? 1 : num;
    if (num == 0) {
      return -1;
    }
    while (pos < src.length() && src.charAt(pos) == '/') {
      pos++;
      int den = digits();
      if (den == 0) {
        return -1;
      }
      len /= den < 0 ? 2 : den;
    }
    return len;
  }

  private void add(Voice v, Item it) {
    if (tupletLeft > 0) {
      it.ticks *= tupletFactor;
      tupletLeft--;
    }
    it.ticks *= v.nextFactor;
    v.nextFactor = 1;
    v.items.add(it);
    v.last = it;
  }

  private void broken(Voice v) {
    char c = src.charAt(pos);
    int n = 0;
    while (pos < src.length() && src.charAt(pos) == c) {
      n++;
      pos++;
    }
    if (v.last == null || v.last.kind != Kind.NOTES || n > 3) {
      col = pos;
      stop("broken rhythm '" + c + "' after no note");
      return;
    }
    // ratio r:1 for one mark; each further mark halves the short note again
    double shortPart = 1;
    for (int i = 0; i < n; i++) {
      shortPart /= (i == 0 ? (brokenRatio + 1) / 2 : 2);
    }
    double shortFactor = shortPart;
    double longFactor = 2 - shortPart;
    if (c == '>') {
      v.last.ticks *= longFactor;
      v.nextFactor = shortFactor;
    } else {
      v.last.ticks *= shortFactor;
      v.nextFactor = longFactor;
    }
  }

  private static final Map<String, int[]> CHORDS = Map.ofEntries(
      Map.entry("", new int[] {0, 4, 7}), Map.entry("m", new int[] {0, 3, 7}), Map.entry("7", new int[] {0, 4, 7, 10}),
      Map.entry("m7", new int[] {0, 3, 7, 10}), Map.entry("maj7", new int[] {0, 4, 7, 11}),
      Map.entry("M7", new int[] {0, 4, 7, 11}), Map.entry("6", new int[] {0, 4, 7, 9}),
      Map.entry("m6", new int[] {0, 3, 7, 9}), Map.entry("dim", new int[] {0, 3, 6}),
      Map.entry("aug", new int[] {0, 4, 8}), Map.entry("+", new int[] {0, 4, 8}),
      Map.entry("sus4", new int[] {0, 5, 7}), Map.entry("sus", new int[] {0, 5, 7}),
      Map.entry("sus2", new int[] {0, 2, 7}), Map.entry("9", new int[] {0, 4, 7, 10, 14}),
      Map.entry("dim7", new int[] {0, 3, 6, 9}), Map.entry("min", new int[] {0, 3, 7}),
      Map.entry("5", new int[] {0, 7}));

  private void guitarChord(Voice v, String s) {
    if (s.isEmpty() || "^_<>@".indexOf(s.charAt(0)) >= 0) {
      return; // an annotation
    }
    String t = s.replace("(", "").replace(")", "").trim();
    if (t.isEmpty() || "ABCDEFG".indexOf(t.charAt(0)) < 0) {
      return;
    }
    int root = new int[] {9, 11, 0, 2, 4, 5, 7}[t.charAt(0) - 'A'];
    int i = 1;
    if (i < t.length() && (t.charAt(i) == '#' || t.charAt(i) == 'b')) {
      root += t.charAt(i) == '#' ? 1 : -1;
      i++;
    }
    String rest = t.substring(i);
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      rest = rest.substring(0, slash);
    }
    int[] shape = CHORDS.get(rest);
    if (shape == null) {
      return; // a chord name this does not know is not played
    }
    Item it = new Item(Kind.GUITAR);
    it.pitches = new int[shape.length];
    for (int k = 0; k < shape.length; k++) {
      it.pitches[k] = 48 + Math.floorMod(root, 12) + shape[k];
    }
    v.items.add(it);
  }

  private void warn(String message) {
    warnings.add("line " + line + ", column " + col + ": " + message);
  }

  private void stop(String message) {
    if (!stopped) {
      warnings.add("line " + line + ", column " + col + ": " + message + "; the tune is kept up to there");
      stopped = true;
    }
  }

  // ---- unfolding and timing ----------------------------------------------------------------------------------------

  private Result result() {
    List<Note> notes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    long length = 0;
    int index = 0;
    for (Voice v : voices.values()) {
      ids.add(v.id);
      length = Math.max(length, emit(unfold(v.items), index, notes));
      index++;
    }
    notes.sort((a, b) -> a.onset != b.onset ? Long.compare(a.onset, b.onset) : Integer.compare(a.voice, b.voice));
    return new Result(number, title, meter, keyName, qpm, beatsPerBar, beatUnit, List.copyOf(ids), List.copyOf(notes),
        List.copyOf(warnings), inBody, length);
  }

  private static List<Item> unfold(List<Item> items) {
    List<Item> out = new ArrayList<>();
    int start = 0;
    boolean second = false;
    int guard = 0;
    for (int i = 0; i < items.size() && guard++ < 1_000_000; i++) {
      Item it = items.get(i);
      switch (it.kind) {
        case REPEAT_START -> {
          if (!second) {
            start = i + 1;
          }
        }
        case REPEAT_END -> {
          if (!second) {
            second = true;
            out.add(new Item(Kind.BAR));
            i = start - 1;
          } else {
            second = false;
            start = i + 1;
          }
        }
        case DOUBLE_BAR -> {
          out.add(it);
          if (!second) {
            start = i + 1;
          }
        }
        case ENDING -> {
          if (second && it.ending == 1) {
            int j = i + 1;
            while (j < items.size() && items.get(j).kind != Kind.REPEAT_END) {
              j++;
            }
            second = false;
            start = j + 1;
            i = j;
          }
        }
        default -> out.add(it);
      }
    }
    return out;
  }

  /** Writes the voice's notes; returns its end in ticks. */
  private static long emit(List<Item> items, int voice, List<Note> notes) {
    double t = 0;
    Map<Integer, Integer> tiedFrom = new HashMap<>(); // pitch -> index in notes of the note it continues
    int[] guitar = null;
    double guitarStart = 0;
    for (Item it : items) {
      if (it.kind == Kind.GUITAR || it.kind == Kind.BAR || it.kind == Kind.DOUBLE_BAR) {
        if (guitar != null && t > guitarStart) {
          for (int p : guitar) {
            notes.add(new Note(p, Math.round(guitarStart), Math.round(t) - Math.round(guitarStart), voice, true));
          }
        }
        guitar = it.kind == Kind.GUITAR ? it.pitches : guitar;
        guitarStart = t;
        continue;
      }
      if (it.kind != Kind.NOTES) {
        continue;
      }
      long on = Math.round(t);
      long off = Math.round(t + it.ticks);
      Map<Integer, Integer> nextTied = new HashMap<>();
      for (int k = 0; k < it.pitches.length; k++) {
        int p = it.pitches[k];
        Integer prev = tiedFrom.get(p);
        int index;
        if (prev != null && notes.get(prev).onset + notes.get(prev).duration == on) {
          Note n = notes.get(prev);
          notes.set(prev, new Note(p, n.onset, off - n.onset, voice, false));
          index = prev;
        } else {
          notes.add(new Note(p, on, off - on, voice, false));
          index = notes.size() - 1;
        }
        if (it.tied[k]) {
          nextTied.put(p, index);
        }
      }
      tiedFrom = nextTied;
      t += it.ticks;
    }
    if (guitar != null && t > guitarStart) {
      for (int p : guitar) {
        notes.add(new Note(p, Math.round(guitarStart), Math.round(t) - Math.round(guitarStart), voice, true));
      }
    }
    return Math.round(t);
  }
}
