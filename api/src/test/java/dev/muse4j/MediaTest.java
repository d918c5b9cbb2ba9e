package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaTest {
  private static Image checker() {
    byte[] rgb = new byte[4 * 3 * 3];
    for (int i = 0; i < 12; i++) {
      rgb[3 * i] = (byte) (i * 20);
      rgb[3 * i + 1] = (byte) (255 - i * 20);
      rgb[3 * i + 2] = (byte) (i % 2 == 0 ? 0 : 200);
    }
    return Image.ofRgb(4, 3, rgb);
  }

  @Test
  void imagesRoundTripThroughPngFilesAndBufferedImages(@TempDir Path dir) {
    Image image = checker();
    Path file = dir.resolve("c.png");

    image.writePng(file);

    assertThat(Image.read(file)).isEqualTo(image);
    assertThat(Image.fromBufferedImage(image.toBufferedImage())).isEqualTo(image);
    assertThat(image.pixel(1, 0)).isEqualTo(20 << 16 | 235 << 8 | 200);
    assertThat(image).hasToString("Image[4x3]");
  }

  @Test
  void imagesAreImmutable() {
    byte[] rgb = new byte[3];
    Image image = Image.ofRgb(1, 1, rgb);
    rgb[0] = 9;
    image.rgb()[0] = 9;

    assertThat(image.pixel(0, 0)).isZero();
  }

  @Test
  void alphaIsDroppedOnInput() {
    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80112233);

    assertThat(Image.fromBufferedImage(argb).pixel(0, 0)).isEqualTo(0x112233);
  }

  @Test
  void badImagesAreRejectedClearly(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Image.ofRgb(2, 2, new byte[5])).hasMessage("A 2x2 RGB image needs 12 bytes but got 5.");
    assertThatThrownBy(() -> Image.ofRgb(0, 2, new byte[0])).hasMessageContaining("between 1 and 16384");
    assertThatThrownBy(() -> Image.decode(new byte[] {1, 2, 3})).hasMessageContaining("expected PNG, JPEG");
    Path notImage = dir.resolve("x.png");
    java.nio.file.Files.writeString(notImage, "hello");
    assertThatThrownBy(() -> Image.read(notImage)).hasMessageContaining(notImage.toString());
    assertThatThrownBy(() -> checker().pixel(4, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void audioRoundTripsThroughWavWithinSixteenBitPrecision(@TempDir Path dir) {
    float[] samples = {0f, 0.5f, -0.5f, 1f, -1f, 0.25f};
    Audio stereo = Audio.of(samples, 22050, 2);
    Path file = dir.resolve("a.wav");

    stereo.writeWav(file);
    Audio back = Audio.readWav(file);

    assertThat(back.sampleRate()).isEqualTo(22050);
    assertThat(back.channels()).isEqualTo(2);
    assertThat(back.frames()).isEqualTo(3);
    float[] got = back.samples();
    for (int i = 0; i < samples.length; i++) {
      assertThat(got[i]).isCloseTo(samples[i], org.assertj.core.data.Offset.offset(1f / 16384));
    }
    assertThat(Audio.of(new float[44100], 44100, 1).duration()).isEqualTo(java.time.Duration.ofSeconds(1));
  }

  @Test
  void audioClipsOnWriteAndRejectsBadInput() {
    Audio loud = Audio.of(new float[] {3f, -3f}, 8000, 1);
    float[] back = Audio.decodeWav(loud.toWav()).samples();

    assertThat(back[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(back[1]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThatThrownBy(() -> Audio.of(new float[3], 8000, 2)).hasMessageContaining("not a whole number of 2-channel");
    assertThatThrownBy(() -> Audio.of(new float[] {Float.NaN}, 8000, 1)).hasMessageContaining("not finite");
    assertThatThrownBy(() -> Audio.of(new float[1], 0, 1)).hasMessageContaining("sampleRate");
    assertThatThrownBy(() -> Audio.decodeWav(new byte[] {1, 2, 3, 4})).hasMessageContaining("Not a readable WAV");
  }

  @Test
  void midiWrapsStandardMidiFiles() throws Exception {
    Sequence sequence = new Sequence(Sequence.PPQ, 480);
    Track track = sequence.createTrack();
    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 90), 0));
    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, 60, 0), 480));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MidiSystem.write(sequence, 0, out);

    Midi midi = Midi.of(out.toByteArray());

    assertThat(midi.toSequence().getResolution()).isEqualTo(480);
    assertThat(midi.toSequence().getTracks()[0].size()).isEqualTo(3);
    assertThatThrownBy(() -> Midi.of("RIFF....WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .hasMessageContaining("expected it to start with 'MThd'");
  }
}
