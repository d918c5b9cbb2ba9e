package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiRendererTest {
  private static final Path TIM = Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2");
  private static final String TUNE = "X:1\nT:Test\nM:4/4\nL:1/8\nQ:1/4=240\nK:G\n\"G\"GABc dBGB|\"D\"A2F2 D4|]\n";

  private static double rms(Audio a) {
    double sum = 0;
    for (float s : a.samples()) {
      sum += s * s;
    }
    return Math.sqrt(sum / a.samples().length);
  }

  @Test
  void rendersATuneOfflineFasterThanRealTime() {
    Midi midi = Abc.parse(TUNE).toMidi();
    List<Progress> seen = new ArrayList<>();
    MidiRenderer.defaults().render(midi); // warm-up: the first render also builds the synthesizer and its bank
    long t0 = System.nanoTime();
    Audio audio = MidiRenderer.defaults().render(midi, seen::add);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(MidiRenderer.offlineStreamAvailable()).isTrue(); // the test JVM adds the export
    assertThat(audio.sampleRate()).isEqualTo(44_100);
    assertThat(audio.channels()).isEqualTo(2);
    // two bars of 4/4 at 240 quarters a minute, plus a second's tail
    assertThat(audio.duration().toMillis()).isBetween(2900L, 3100L);
    assertThat(rms(audio)).isGreaterThan(0.001);
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
    assertThat(seconds).as("render time for 3 s of audio").isLessThan(3.0);
  }

  @Test
  void theWavReadsBackWithJavaxSoundSampled(@TempDir Path dir) throws Exception {
    Audio audio = Abc.parse(TUNE).toMidi().toAudio();
    Path wav = dir.resolve("tune.wav");
    audio.writeWav(wav);
    AudioFileFormat format = AudioSystem.getAudioFileFormat(wav.toFile());
    assertThat(format.getType()).isEqualTo(AudioFileFormat.Type.WAVE);
    assertThat(format.getFormat().getSampleRate()).isEqualTo(44_100f);
    assertThat(format.getFormat().getChannels()).isEqualTo(2);
    assertThat(format.getFrameLength()).isEqualTo(audio.frames());
  }

  @Test
  void thePublicMidiFileReaderRendersTheSameLength() throws Exception {
    Midi midi = Abc.parse(TUNE).toMidi();
    Audio audio = MidiRenderer.defaults().renderThroughFileReader(midi);
    assertThat(audio.sampleRate()).isEqualTo(44_100);
    assertThat(audio.duration().toMillis()).isBetween(2900L, 3100L);
    assertThat(rms(audio)).isGreaterThan(0.001);
    assertThat(AudioSystem.getAudioInputStream(new ByteArrayInputStream(midi.bytes()))).isNotNull();
  }

  @Test
  void rendersWithASoundFontTheUserSupplies() {
    Assumptions.assumeTrue(Files.isRegularFile(TIM), "timgm6mb-soundfont is not installed");
    MidiRenderer renderer = MidiRenderer.withSoundFont(TIM).sampleRate(22_050);
    assertThat(renderer.soundFont()).contains(TIM);
    Audio audio = renderer.render(Abc.parse(TUNE).toMidi());
    assertThat(audio.sampleRate()).isEqualTo(22_050);
    assertThat(rms(audio)).isGreaterThan(0.001);
    assertThat(audio).isNotEqualTo(MidiRenderer.defaults().sampleRate(22_050).render(Abc.parse(TUNE).toMidi()));
  }

  @Test
  void aFileThatIsNotASoundFontIsAClearError(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("fake.sf2");
    Files.writeString(fake, "not a soundfont");
    assertThatThrownBy(() -> MidiRenderer.withSoundFont(fake)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is not a SoundFont 2 bank");
    assertThatThrownBy(() -> MidiRenderer.withSoundFont(dir.resolve("missing.sf2")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> MidiRenderer.defaults().sampleRate(100)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("8000");
  }
}
