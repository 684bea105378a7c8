package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", "s3cret");

    @TempDir
    Path dir;

    @Test
    void shouldReadAVariableOrAFileAndNeverShowIt() throws Exception {
        final Path file = Files.writeString(dir.resolve("password"), "from-file\n");

        final Secret byVariable = Secret.read("DB_PASSWORD", "a.passwordEnv", null, "a.passwordFile", ENV)
                .orElseThrow();
        final Secret byFile = Secret.read("", "a.passwordEnv", file.toString(), "a.passwordFile", ENV).orElseThrow();

        assertThat(byVariable.reveal()).isEqualTo("s3cret");
        assertThat(byFile.reveal()).as("without the file's line end").isEqualTo("from-file");
        assertThat(byVariable + " " + byFile).isEqualTo("*** ***");
        assertThat(Secret.read(null, "a.passwordEnv", "", "a.passwordFile", ENV)).isEmpty();
    }

    /** A file saved by an editor on Windows: a byte order mark first, CRLF after; the password is what is between. */
    @Test
    void shouldReadAFileWrittenOnWindowsAsThePasswordAlone() throws Exception {
        final Path file = Files.write(dir.resolve("password"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF,
            'p', '4', 's', 's', '\r', '\n'});
        final Secret secret = Secret.read(null, "a.passwordEnv", file.toString(), "a.passwordFile", ENV)
                .orElseThrow();

        assertThat(secret.reveal()).isEqualTo("p4ss");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'n', 'e', 'w', '\r', '\n'});
        assertThat(secret.reveal()).as("followed, the same way").isEqualTo("new");
    }

    /** A password rotated in its file is what the next login sends, without a restart. */
    @Test
    void shouldFollowItsFileAndKeepTheLastValueWhileTheFileIsGoneOrEmpty() throws Exception {
        final Path file = Files.writeString(dir.resolve("password"), "first\n");
        final Secret secret = Secret.read(null, "a.passwordEnv", file.toString(), "a.passwordFile", ENV)
                .orElseThrow();

        Files.writeString(file, "second\n");
        assertThat(secret.reveal()).isEqualTo("second");

        Files.writeString(file, ""); // being rewritten
        assertThat(secret.reveal()).isEqualTo("second");
        Files.delete(file); // replaced by a rename
        assertThat(secret.reveal()).isEqualTo("second");

        Files.writeString(dir.resolve("password.new"), "third");
        Files.move(dir.resolve("password.new"), file);
        assertThat(secret.reveal()).isEqualTo("third");
        assertThat(secret).hasToString("***");
    }

    @Test
    void shouldNameTheKeyOfEveryMistake() throws Exception {
        assertThatThrownBy(() -> Secret.read("NOT_SET", "a.passwordEnv", null, "a.passwordFile", ENV))
                .isInstanceOf(Secret.UnreadableException.class)
                .hasMessage("a.passwordEnv: environment variable NOT_SET is not set");
        assertThatThrownBy(() -> Secret.read(null, "a.passwordEnv", dir.resolve("missing").toString(),
                "a.passwordFile", ENV)).hasMessageStartingWith("a.passwordFile: cannot read " + dir.resolve("missing"));
        assertThatThrownBy(() -> Secret.read("DB_PASSWORD", "a.passwordEnv", "f", "a.passwordFile", ENV))
                .hasMessage("a.passwordEnv and a.passwordFile are both set; give one");
        final Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> Secret.read(null, "a.passwordEnv", empty.toString(), "a.passwordFile", ENV))
                .hasMessage("a.passwordFile: " + empty + " is empty");
    }
}
