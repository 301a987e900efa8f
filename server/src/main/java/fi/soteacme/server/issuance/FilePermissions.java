package fi.soteacme.server.issuance;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates files and directories with owner-only permissions where the file system has them. */
final class FilePermissions {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private FilePermissions() {}

  /** Creates an empty file, mode 0600 when {@code secret} (set at creation, never widened). */
  static void createFile(Path file, boolean secret) throws IOException {
    if (secret && POSIX) {
      Files.createFile(file, attribute("rw-------"));
    } else {
      Files.createFile(file);
    }
  }

  /** Creates a fresh temporary directory, mode 0700, next to {@code dir}'s files. */
  static Path createTempDirectory(Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    return POSIX
        ? Files.createTempDirectory(dir, prefix, attribute("rwx------"))
        : Files.createTempDirectory(dir, prefix);
  }

  private static FileAttribute<?> attribute(String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }
}
