package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.apidump.ApiSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSignatureTest {
  private static final Path DUMP = Path.of("api", "muse4j-api.api");

  @Test
  void publicApiMatchesTheCommittedDump() {
    ApiSignatures.assertMatches(DUMP, ApiSignatures.dump(Path.of("target", "classes")));
  }

  @Test
  void dumpListsPublicMembersButNotInternals() {
    String dump = ApiSignatures.dump(Path.of("target", "classes"));

    assertThat(dump).contains("public final class dev.muse4j.SamplingConfig")
        .contains("public java.util.OptionalDouble dev.muse4j.SamplingConfig.temperature()")
        .contains("public abstract interface dev.muse4j.spi.BackendProvider")
        .doesNotContain("dev.muse4j.internal")
        .doesNotContain("SamplingConfig(dev.muse4j.SamplingConfig$Builder)");
  }

  @Test
  void anAddedMemberMissingFromTheDumpFailsWithItsSignature(@TempDir Path dir) throws Exception {
    String actual = ApiSignatures.dump(Path.of("target", "classes"));
    String member = "  public dev.muse4j.TextRequest dev.muse4j.TextRequest.withCount(int)";
    assertThat(actual).contains(member);
    Path stale = dir.resolve("stale.api");
    Files.writeString(stale, actual.lines().filter(l -> !l.equals(member)).collect(Collectors.joining("\n", "",
        "\n")));

    assertThatThrownBy(() -> ApiSignatures.assertMatches(stale, actual, false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("+ " + member.trim())
        .hasMessageContaining("-Dmuse4j.api.update=true");
  }

  @Test
  void aRemovedMemberFailsToo(@TempDir Path dir) throws Exception {
    String actual = ApiSignatures.dump(List.of(Usage.class));
    Path withExtra = dir.resolve("extra.api");
    Files.writeString(withExtra, actual.replace("public int dev.muse4j.Usage.totalTokens()\n",
        "public int dev.muse4j.Usage.totalTokens()\n  public int dev.muse4j.Usage.cachedTokens()\n"));

    assertThatThrownBy(() -> ApiSignatures.assertMatches(withExtra, actual, false))
        .hasMessageContaining("- public int dev.muse4j.Usage.cachedTokens()");
  }
}
