using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Phase4.Domain.Data;

namespace Phase4.Tests.Api.Support;

/// <summary>A <see cref="TodoDbContext"/> configured as the services configure theirs, for tests that reach the domain directly.</summary>
public static class TodoContexts
{
    public static TodoDbContext Create(string connectionString, params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<TodoDbContext>().UseNpgsql(connectionString).AddInterceptors(interceptors);
        TodoDbContext.ConfigureProvider(options);
        return new TodoDbContext(options.Options);
    }
}
