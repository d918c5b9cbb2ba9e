package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;

class AbcTest {
  /** Melody notes as "pitch@onset+duration" in ticks at 480 per quarter note, in order. */
  static List<String> notes(AbcTune tune) {
    return notes(tune.toSequence(false), 1);
  }

  static List<String> notes(Sequence seq, int track) {
    List<String> out = new ArrayList<>();
    Track t = seq.getTracks()[track];
    long[] on = new long[128];
    for (int i = 0; i < t.size(); i++) {
      MidiEvent e = t.get(i);
      if (e.getMessage() instanceof ShortMessage m) {
        if (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
          on[m.getData1()] = e.getTick();
        } else if (m.getCommand() == ShortMessage.NOTE_OFF) {
          out.add(m.getData1() + "@" + on[m.getData1()] + "+" + (e.getTick() - on[m.getData1()]));
        }
      }
    }
    out.sort((a, b) -> Long.compare(Long.parseLong(a.split("[@+]")[1]), Long.parseLong(b.split("[@+]")[1])));
    return out;
  }

  @Test
  void headerFieldsAndPlainNotes() {
    AbcTune tune = Abc.parse("X:3\nT:Scale\nT:Second title\nM:3/4\nL:1/4\nQ:1/4=90\nK:C\nC D E | c C, z |]\n");
    assertThat(tune.number()).isEqualTo(3);
    assertThat(tune.title()).isEqualTo("Scale");
    assertThat(tune.meter()).isEqualTo("3/4");
    assertThat(tune.key()).isEqualTo("C");
    assertThat(tune.quarterNotesPerMinute()).isEqualTo(90);
    assertThat(tune.warnings()).isEmpty();
    assertThat(notes(tune)).containsExactly("60@0+480", "62@480+480", "64@960+480", "72@1440+480", "48@1920+480");
    assertThat(tune.duration().toMillis()).isEqualTo(4000); // six quarters at 90 per minute
  }

  @Test
  void lengthsOctavesAndDefaultUnit() {
    // M:6/8 → L:1/8 by default; M:2/4 → L:1/16
    assertThat(notes(Abc.parse("M:6/8\nK:C\nc'2 C/ C// C3/2 C,,\n"))).containsExactly(
        "84@0+480", "60@480+120", "60@600+60", "60@660+360", "36@1020+240");
    assertThat(notes(Abc.parse("M:2/4\nK:C\nC4\n"))).containsExactly("60@0+480");
  }

  @Test
  void keysWithModesAndAccidentalsCarriedThroughTheBar() {
    assertThat(notes(Abc.parse("L:1/4\nK:D\nF C f c\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("66", "61", "78", "73");
    assertThat(notes(Abc.parse("L:1/4\nK:Ador\nF B\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("66", "71"); // A dorian: F sharp
    assertThat(notes(Abc.parse("L:1/4\nK:Dmix\nF c\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("66", "72"); // D mixolydian: C natural
    assertThat(notes(Abc.parse("L:1/4\nK:Bb\nB E e\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("70", "63", "75");
    // an accidental holds for the rest of the bar at that pitch, and ends with the bar
    assertThat(notes(Abc.parse("L:1/4\nK:G\n=F F ^c c | F c\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("65", "65", "73", "73", "66", "72");
    assertThat(notes(Abc.parse("L:1/4\nK:C\n^^C __B =C\n"))).extracting(s -> s.split("@")[0])
        .containsExactly("62", "69", "60");
  }

  @Test
  void tiesSlursAndRests() {
    assertThat(notes(Abc.parse("L:1/4\nK:C\nC2- C | (DE) z F\n"))).containsExactly(
        "60@0+1440", "62@1440+480", "64@1920+480", "65@2880+480");
  }

  @Test
  void repeatsAndEndings() {
    List<String> pitches = notes(Abc.parse("L:1/4\nK:C\nC |: D E |1 F :|2 G |] A\n")).stream()
        .map(s -> s.split("@")[0]).toList();
    assertThat(pitches).containsExactly("60", "62", "64", "65", "62", "64", "67", "69");
    assertThat(notes(Abc.parse("L:1/4\nK:C\nC D :: E :|\n")).stream().map(s -> s.split("@")[0]))
        .containsExactly("60", "62", "60", "62", "64", "64");
  }

  @Test
  void chordsAndGuitarChords() {
    AbcTune tune = Abc.parse("L:1/4\nK:C\n\"Am\"[CEG]2 \"G7\"c |\n");
    assertThat(notes(tune)).containsExactlyInAnyOrder("60@0+960", "64@0+960", "67@0+960", "72@960+480");
    Sequence with = tune.toSequence(true);
    assertThat(with.getTracks()).hasSize(3);
    assertThat(notes(with, 2)).containsExactlyInAnyOrder("57@0+960", "60@0+960", "64@0+960",
        "55@960+480", "59@960+480", "62@960+480", "65@960+480");
    assertThat(tune.toSequence(false).getTracks()).hasSize(2);
  }

  @Test
  void tupletsAndBrokenRhythm() {
    assertThat(notes(Abc.parse("L:1/8\nK:C\n(3CDE F>G A<B\n"))).containsExactly("60@0+160", "62@160+160",
        "64@320+160", "65@480+360", "67@840+120", "69@960+120", "71@1080+360");
  }

  @Test
  void voicesBecomeTracksOnTheirOwnChannels() {
    AbcTune tune = Abc.parse("X:1\nM:4/4\nL:1/4\nV:S\nV:B\nK:G\nV:S\nB c d2|\nV:B\nG,4|\n[V:S] g4|\n");
    assertThat(tune.voices()).containsExactly("S", "B");
    Sequence seq = tune.toSequence();
    assertThat(notes(seq, 1)).containsExactly("71@0+480", "72@480+480", "74@960+960", "79@1920+1920");
    assertThat(notes(seq, 2)).containsExactly("55@0+1920");
    int channel = -1;
    for (int i = 0; i < seq.getTracks()[2].size(); i++) {
      if (seq.getTracks()[2].get(i).getMessage() instanceof ShortMessage m
          && m.getCommand() == ShortMessage.NOTE_ON) {
        channel = m.getChannel();
      }
    }
    assertThat(channel).isEqualTo(1);
  }

  @Test
  void tempoAndMetreAreWrittenIntoTheSequence() {
    Sequence seq = Abc.parse("M:6/8\nQ:3/8=60\nK:C\nC\n").toSequence();
    MetaMessage tempo = null;
    for (int i = 0; i < seq.getTracks()[0].size(); i++) {
      if (seq.getTracks()[0].get(i).getMessage() instanceof MetaMessage m && m.getType() == 0x51) {
        tempo = m;
      }
    }
    assertThat(tempo).isNotNull();
    byte[] d = tempo.getData();
    assertThat(((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff)).isEqualTo(666_667); // 60 dotted quarters = 90 quarters a minute
  }

  @Test
  void invalidAbcKeepsTheLongestValidPrefixWithTheLineAndColumn() {
    AbcTune tune = Abc.parse("X:1\nT:Model output\nK:C\nCDEF|GABc|\ncBAG|F$ED\n");
    assertThat(notes(tune)).hasSize(13);
    assertThat(tune.warnings()).singleElement().asString()
        .startsWith("line 5, column 7: unexpected '$'").contains("kept up to there");
    AbcTune cut = Abc.parse("X:1\nK:C\nCDE [CEG");
    assertThat(notes(cut)).hasSize(3);
    assertThat(cut.warnings()).singleElement().asString().startsWith("line 3, column 5: a chord");
    assertThat(Abc.parse("K:C\nCD \"Am").warnings()).singleElement().asString()
        .startsWith("line 2, column 4: a quoted chord");
  }

  @Test
  void garbageNeverThrowsFromInside() {
    String[] samples = {"K:C\nC(9D", "K:C\nC>>>>D", "K:C\n|1:|2[1::|", "K:C\nC0", "K:C\nC/0", "K:C\n^", "K:Q\nC",
        "K:C\n[K:]C[L:x]D[M:zz]E", "K:C\nc''''''''''''", "K:C\n{ab", "K:C\n!trill", "K:C\n-C", "K:C\n>C"};
    for (String s : samples) {
      try {
        AbcTune t = Abc.parse(s);
        assertThat(t.warnings()).as(s).isNotNull();
        t.toMidi();
      } catch (InvalidRequestException e) {
        assertThat(e.getMessage()).as(s).contains("ABC");
      }
    }
  }

  @Test
  void textWithoutATuneBodyIsAClearError() {
    assertThatThrownBy(() -> Abc.parse("X:1\nT:Only a header\n")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("X:1 has no K: line");
    assertThatThrownBy(() -> Abc.parse("X:1\nT:t\nK:G\n")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no notes after its K: line");
    assertThatThrownBy(() -> Abc.parse("")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Abc.parse(null)).isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("abc must not be null");
  }

  @Test
  void picksATuneByNumber() {
    String two = "X:1\nT:One\nK:C\nC\n\nX:2\nT:Two\nK:C\nD E\n";
    assertThat(Abc.parseAll(two)).extracting(AbcTune::title).containsExactly("One", "Two");
    AbcTune second = Abc.parse(two, 2);
    assertThat(second.title()).isEqualTo("Two");
    assertThat(second.text()).startsWith("X:2");
    assertThatThrownBy(() -> Abc.parse(two, 7)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("X:7").hasMessageContaining("X:1, X:2");
  }

  @Test
  void warningsNameLinesOfTheWholeText() {
    AbcTune t = Abc.parse("X:1\nK:C\nC\n\nX:2\nK:C\nD ?\n", 2);
    assertThat(t.warnings()).singleElement().asString().startsWith("line 7, column 3");
  }

  @Test
  void toMidiRoundTripsThroughTheStandardMidiFile() {
    AbcTune tune = Abc.parse("X:1\nL:1/8\nK:G\nGABc dedB|\n");
    Midi midi = tune.toMidi();
    assertThat(notes(midi.toSequence(), 1)).isEqualTo(notes(tune));
  }
}
