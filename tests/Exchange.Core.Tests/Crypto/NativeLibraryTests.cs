using Exchange.Core.Crypto;

namespace Exchange.Core.Tests.Crypto;

public sealed class NativeLibraryTests
{
    [Fact]
    public void Load_should_name_the_missing_file_and_the_install_command()
    {
        var e = Assert.Throws<Secp256k1UnavailableException>(() => Secp256k1Library.Load(["libdoes-not-exist.so.9"]));

        Assert.Contains("libdoes-not-exist.so.9", e.Message);
        Assert.Contains("apt-get install libsecp256k1-1", e.Message);
    }

    [Fact]
    public void Load_should_name_every_candidate_it_tried()
    {
        var e = Assert.Throws<Secp256k1UnavailableException>(
            () => Secp256k1Library.Load(["libdoes-not-exist.so.9", "libnor-this.so.3"]));

        Assert.Contains("libdoes-not-exist.so.9", e.Message);
        Assert.Contains("libnor-this.so.3", e.Message);
    }

    [Fact]
    public void Load_should_report_missing_library_when_given_no_candidates()
    {
        var e = Assert.Throws<Secp256k1UnavailableException>(() => Secp256k1Library.Load([]));

        Assert.Contains("apt-get install libsecp256k1-1", e.Message);
    }

    [Fact]
    public void Load_should_refuse_a_library_without_the_schnorr_functions()
    {
        // libm exists on every glibc system and is certainly not libsecp256k1.
        var e = Assert.Throws<Secp256k1UnavailableException>(() => Secp256k1Library.Load(["libm.so.6"]));

        Assert.Contains("libm.so.6", e.Message);
        Assert.Contains("schnorrsig", e.Message);
        Assert.Contains("apt-get install libsecp256k1-1", e.Message);
    }

    [Fact]
    public void Load_should_fall_through_a_missing_candidate_to_the_installed_library()
    {
        var handle = Secp256k1Library.Load(["libdoes-not-exist.so.9", .. Secp256k1Library.Candidates]);

        Assert.NotEqual(0, handle);
    }

    [Fact]
    public void EnsureLoaded_should_succeed_where_the_system_library_is_installed()
    {
        Secp256k1Library.EnsureLoaded();

        Assert.True(Schnorr.IsValidPublicKey(Secp256k1Constants.Named("alice").PublicKey));
    }
}
