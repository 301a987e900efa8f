package fi.soteacme.client.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader (a web server reloading) sees the old content or the new, never a
 * half-written file: write a temporary file in the same directory, flush it to disk, rename it over
 * the target. Private files are created 0600 from the start, never readable by others for a moment.
 */
public final class AtomicFiles {
  /** Permissions of private keys and account data. */
  public static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  /** Permissions of certificates and configuration. */
  public static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Permissions of the directories that hold keys. */
  public static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  /**
   * Writes bytes atomically.
   *
   * @param target the file to create or replace
   * @param content the new content
   * @param permissions the permissions the file has from its creation
   * @throws IOException if writing fails; the target is then unchanged
   */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        dir.resolve(
            "." + target.getFileName() + ".tmp" + ThreadLocalRandom.current().nextInt(1 << 30));
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              attributes(tmp, permissions))) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      move(tmp, target);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes UTF-8 text atomically.
   *
   * @param target the file to create or replace
   * @param content the new content
   * @param permissions the permissions the file has from its creation
   * @throws IOException if writing fails; the target is then unchanged
   */
  public static void write(Path target, String content, Set<PosixFilePermission> permissions)
      throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), permissions);
  }

  /**
   * Points a symbolic link at a new target atomically (a new link renamed over the old one).
   *
   * @param link the link to create or replace
   * @param target the (usually relative) target
   * @throws IOException if it fails; the old link is then unchanged
   */
  public static void symlink(Path link, Path target) throws IOException {
    Path dir = link.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        dir.resolve(
            "." + link.getFileName() + ".lnk" + ThreadLocalRandom.current().nextInt(1 << 30));
    try {
      Files.createSymbolicLink(tmp, target);
      move(tmp, link);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates a directory (and parents) that only the owner can enter.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created
   */
  public static void privateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, attributes(dir, PRIVATE_DIR));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " exists and is not a directory", e);
    }
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PRIVATE_DIR);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The file system cannot rename atomically: " + to, e);
    }
  }

  private static void syncDirectory(Path dir) {
    // Makes the rename durable; not every platform can open a directory, which is fine.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  private static boolean posix(Path p) {
    Path existing = p.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> permissions) {
    return posix(p)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}
