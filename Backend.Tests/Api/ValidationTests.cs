using System.Net;
using System.Net.Http.Json;
using System.Text;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>Each validation rule answers 400 (or 413/415) ProblemDetails naming the field at fault.</summary>
[Collection(SharedBackend.Name)]
public sealed class ValidationTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _user = null!;
    private int _taskId;

    public async Task InitializeAsync()
    {
        _user = await backend.SharedUserAsync(nameof(ValidationTests));
        _taskId = (int)(await _user.CreateTaskAsync()).Task["id"]!;
    }

    public static TheoryData<string, string> InvalidTaskBodies => new()
    {
        { """{"title":""}""", "title" },
        { """{"title":"   "}""", "title" },
        { """{}""", "title" },
        { """{"title":null}""", "title" },
        { $$"""{"title":"{{new string('t', 201)}}"}""", "title" },
        { """{"title":"line\nbreak"}""", "title" },
        { """{"title":"tab\there"}""", "title" },
        { """{"title":"nul\u0000byte"}""", "title" },
        { """{"title":"bell\u0007"}""", "title" },
        { """{"title":"lone \ud800 surrogate"}""", "title" },
        { """{"title":"reversed \udc00\ud800 pair"}""", "title" },
        { """{"title":5}""", "title" },
        { """{"title":true}""", "title" },
        { """{"title":["a"]}""", "title" },
        { """{"title":{"a":1}}""", "title" },
        { $$"""{"title":"ok","description":"{{new string('d', 1001)}}"}""", "description" },
        { """{"title":"ok","description":"nul\u0000byte"}""", "description" },
        { """{"title":"ok","description":"escape\u001b[31m"}""", "description" },
        { """{"title":"ok","description":42}""", "description" },
        { """{"title":"ok","description":"lone \udfff"}""", "description" },
        { """{"title":"ok",""", "body" },
        { """not json""", "body" },
        { """["title"]""", "body" },
        { """ "just a string" """, "body" },
        { """null""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidTaskBodies))]
    public async Task Creating_a_task_with_an_invalid_body_is_a_400_naming_the_field(string json, string field)
    {
        using var response = await _user.Client.PostAsync(_user.Tasks, HttpAssertions.Json(json));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [MemberData(nameof(InvalidTaskBodies))]
    public async Task Replacing_a_task_with_an_invalid_body_is_a_400_naming_the_field(string json, string field)
    {
        using var response = await _user.Client.PutAsync($"{_user.Tasks}/{_taskId}", HttpAssertions.Json(json));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("""{"completed":"yes"}""", "completed")]
    [InlineData("""{"completed":1}""", "completed")]
    [InlineData("""{"completed":[true]}""", "completed")]
    [InlineData("""{"completed":""", "completed")]
    [InlineData("""[true]""", "body")]
    [InlineData("""nonsense""", "body")]
    public async Task Completing_with_an_invalid_body_is_a_400_naming_the_field(string json, string field)
    {
        using var response = await _user.Client.PatchAsync($"{_user.Tasks}/{_taskId}/complete", HttpAssertions.Json(json));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task The_title_is_trimmed_and_may_be_200_characters_and_the_description_1000()
    {
        var title = new string('t', 200);
        var description = new string('d', 999) + "\n";
        using var response = await _user.Client.PostAsJsonAsync(_user.Tasks, new { title = $"  {title}\t ", description });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await response.ReadJsonAsync();
        Assert.Equal(title, (string)task["title"]!);
        Assert.Equal(description, (string)task["description"]!);
    }

    [Fact]
    public async Task A_blank_description_is_stored_as_null()
    {
        var (task, _) = await _user.CreateTaskAsync("title", "   ");
        Assert.Null(task["description"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=abc", "offset")]
    [InlineData("offset=99999999999", "offset")]
    [InlineData("status=done", "status")]
    [InlineData("status=%00", "status")]
    public async Task Listing_with_an_invalid_query_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await _user.Client.GetAsync($"{_user.Tasks}?{query}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-2147483648")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("%20")]
    public async Task An_id_that_is_not_a_positive_integer_is_a_400_naming_id_on_every_route(string id)
    {
        var path = $"{_user.Tasks}/{id}";
        using var get = await _user.Client.GetAsync(path);
        using var put = await _user.Client.PutAsJsonAsync(path, new { title = "x" });
        using var patch = await _user.Client.PatchAsync(path + "/complete", null);
        using var delete = await _user.Client.DeleteAsync(path);

        foreach (var response in new[] { get, put, patch, delete })
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "id");
        }
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_naming_body()
    {
        var json = $$"""{"title":"ok","description":"{{new string('d', 70 * 1024)}}"}""";
        using var response = await _user.Client.PostAsync(_user.Tasks, HttpAssertions.Json(json));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_a_413_naming_body()
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"title":"ok","description":"{{new string('d', 70 * 1024)}}"}""");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _user.Tasks) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _user.Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_naming_body()
    {
        using var response = await _user.Client.PostAsync(_user.Tasks, new StringContent("title=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "body");
    }

    [Fact]
    public async Task Invalid_utf8_in_the_body_is_a_400()
    {
        using var content = new ByteArrayContent([.. "{\"title\":\""u8, 0xff, 0xfe, .. "\"}"u8]);
        content.Headers.ContentType = new("application/json");
        using var response = await _user.Client.PostAsync(_user.Tasks, content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
