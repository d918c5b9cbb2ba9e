package dev.muse4j.remote;

import dev.muse4j.apidump.ApiSignatures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApiSignatureTest {
  @Test
  void publicApiMatchesTheCommittedDump() {
    ApiSignatures.assertMatches(Path.of("api", "muse4j-runtime-remote.api"),
        ApiSignatures.dump(Path.of("target", "classes")));
  }
}
